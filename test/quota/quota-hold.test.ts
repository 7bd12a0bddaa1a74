import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { translator } from '../../src/i18n/catalog.js';
import { readMonthCalls } from '../../src/quota/month-calls.js';
import { quotaMonth } from '../../src/quota/month.js';
import { heldText, runErrorText } from '../../src/report/words.js';
import { StateKeys } from '../../src/state/keys.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

const LIST_USERS = '/topapi/v2/user/list';
const sum = (calls: Readonly<Record<string, number>>) => Object.values(calls).reduce((a, b) => a + b, 0);

let env: SimEnv;
beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 30, users: 60, departments: 6 } }, name: 'quota' });
});
afterAll(() => env.close());

/** The organisation's calls this month as Redis holds them, after this process wrote its own. */
async function monthCalls(org: string) {
  await env.quota.flush();
  const month = await readMonthCalls(env.redis, new StateKeys(env.prefix), [org], quotaMonth(new Date()));
  return month.get(org) ?? { calls: {}, refused: {} };
}

describe("DingTalk's monthly quota", () => {
  it('every DingTalk call is counted per organisation and API in Redis, the profiles of one organisation in one count', async () => {
    // two profiles of one app: one organisation, whatever their ids (default: the appKey)
    const a = env.profile({ id: 'count-a' });
    const b = env.profile({ id: 'count-b', sync: { scope: { mode: 'departments', departmentIds: [1] } } });
    const before = await monthCalls(env.dingtalk.appKey);
    // previews: the same DingTalk reads as a run, and the two profiles' writes never meet in PDS
    const ra = await env.run(a, { dryRun: true });
    const rb = await env.run(b, { dryRun: true });
    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    const after = await monthCalls(env.dingtalk.appKey);
    const added = Object.fromEntries(
      Object.entries(after.calls).map(([path, n]) => [path, n - (before.calls[path] ?? 0)]),
    );
    const byReports: Record<string, number> = {};
    for (const r of [ra, rb])
      for (const [path, n] of Object.entries(r.apiCalls.dingtalk))
        byReports[path] = (byReports[path] ?? 0) + n;
    expect(added).toEqual(byReports);
    expect(added[LIST_USERS]).toBeGreaterThan(0);
  });

  it('a run whose estimate would pass dingtalk.monthlyQuota is held (held.code quota) before any DingTalk call, not failed halfway on 90020', async () => {
    const measured = await env.run(env.profile({ id: 'hold' }));
    expect(measured.status).toBe('succeeded');
    const perRun = sum(measured.apiCalls.dingtalk);
    const used = sum((await monthCalls(env.dingtalk.appKey)).calls);
    // DingTalk's own quota: what is left would run out halfway through the next run
    const quota = used + perRun - 1;
    env.dingtalk.control.setFaults({ monthlyQuota: { quota, used } });
    const profile = env.profile({ id: 'hold', dingtalk: { monthlyQuota: quota } });
    const received = sum(env.dingtalk.control.counters().calls);
    const held = await env.run(profile, { trigger: 'schedule' });
    expect(held.status).toBe('held');
    expect(held.held).toMatchObject({ code: 'quota', wholeRun: true, by: 'preflight' });
    expect(held.heldReason).toMatchObject({
      code: 'quota',
      params: { org: env.dingtalk.appKey, month: quotaMonth(new Date()), used, estimate: perRun, quota },
    });
    expect(sum(env.dingtalk.control.counters().calls)).toBe(received);
    expect(held.apiCalls.dingtalk).toEqual({});
    if (held.heldReason === undefined) throw new Error('no reason');
    expect(heldText(held.heldReason, translator('zh-CN'))).toContain('90020');

    // approving it runs it anyway: here DingTalk's quota was upgraded meanwhile
    env.dingtalk.control.setFaults({ monthlyQuota: null });
    const approved = await env.run(profile, { trigger: 'approval', approvedRunId: held.runId });
    expect(approved.status).toBe('succeeded');
  });

  it('when 90020 does come, the report names the API that answered it, and the month keeps the refusal', async () => {
    env.dingtalk.control.setFaults({ monthlyQuota: { quota: 0, paths: [LIST_USERS] } });
    try {
      const r = await env.run(env.profile({ id: 'refused' }));
      expect(r.status).toBe('failed');
      expect(r.error?.code).toBe('dingtalk:90020');
      if (r.error === undefined) throw new Error('no error');
      expect(runErrorText(r.error, translator('en'))).toContain(LIST_USERS);
      expect((await monthCalls(env.dingtalk.appKey)).refused).toEqual({ [LIST_USERS]: 1 });
    } finally {
      env.dingtalk.control.setFaults({ monthlyQuota: null });
    }
  });
});

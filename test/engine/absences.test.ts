import { afterEach, describe, expect, it } from '@jest/globals';
import type { Org } from '../../bench/independent-check.js';
import { translator } from '../../src/i18n/catalog.js';
import type { RunReport } from '../../src/report/types.js';
import { actionText, warningText } from '../../src/report/words.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/*
 * Each absence is confirmed before it becomes a disable (issue 28.1), against both simulators:
 * the reason a run finds is the one PDS, the report and the change log carry.
 */

const envs: SimEnv[] = [];
afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.close()));
});

async function sims(name: string, faults: Parameters<SimEnv['dingtalk']['control']['setFaults']>[0] = {}) {
  const env = await startSims({
    dingtalk: { orgSpec: { seed: 28, users: 60, departments: 6, depth: 1 } },
    name,
  });
  envs.push(env);
  env.dingtalk.control.setFaults(faults);
  return env;
}

const org = (env: SimEnv) => structuredClone(env.dingtalk.control.org()) as Org;
const userOf = (env: SimEnv, pdsUserId: string) =>
  env.pds.control.state().users.find((u) => u.user_id === pdsUserId);
/** Top-level departments, and someone who is only in one of them. */
function layout(env: SimEnv) {
  const o = org(env);
  const tops = o.departments.filter((d) => d.parent_id === 1).map((d) => d.dept_id);
  const single = (dept: number) =>
    o.users.find((u) => u.dept_id_list.length === 1 && u.dept_id_list[0] === dept)?.userid ?? '';
  return { o, tops, single };
}
const calls = (r: RunReport, path: string) => r.apiCalls.dingtalk[path] ?? 0;
const disableOf = (r: RunReport, userid: string) =>
  r.changes.find((c) => c.dingtalkUserId === userid && c.action.type === 'disable')?.action;

describe('each absence is confirmed before it becomes a disable', () => {
  it('a leaver with a leave record is disabled as left in the same run, with DingTalk’s leaveReason', async () => {
    const env = await sims('absent-left');
    const p = env.profile();
    expect((await env.run(p)).status).toBe('succeeded');
    const { single, tops } = layout(env);
    const leaver = single(tops[0]!);
    env.dingtalk.control.mutate({ op: 'leave', userid: leaver, reason: 'oapi' });
    const r = await env.run(p);
    expect(r.status).toBe('succeeded');
    expect(userOf(env, `dt_${leaver}`)).toMatchObject({
      status: 'disabled',
      user_data: { dtsync_disabled_by: 'sync', dtsync_disabled_reason: 'left' },
    });
    // the report and the change log say which reason applied, and the leave reason
    const action = disableOf(r, leaver);
    expect(action).toEqual({ type: 'disable', reason: 'left', leaveReason: 'oapi' });
    expect(actionText(action!, translator('zh-CN'))).toBe('禁用（已离职（离职记录：oapi））');
    const log = await new RunHistory(env.redis, new StateKeys(env.prefix), 100).changes(r.runId);
    expect(log.find((c) => c.dingtalkUserId === leaver)?.action).toEqual(action);
    // read once, with the leave records once
    expect(calls(r, '/topapi/v2/user/get')).toBe(1);
    expect(calls(r, '/v1.0/contact/empLeaveRecords')).toBe(1);
  });

  it('a person moved outside the configured departments is disabled as moved_out', async () => {
    const env = await sims('absent-moved');
    const { single, tops } = layout(env);
    const p = env.profile({ sync: { scope: { mode: 'departments', departmentIds: [tops[0]!] } } });
    expect((await env.run(p)).status).toBe('succeeded');
    const mover = single(tops[0]!);
    env.dingtalk.control.mutate({ op: 'moveUser', userid: mover, dept_id_list: [tops[1]!] });
    const r = await env.run(p);
    expect(r.status).toBe('succeeded');
    expect(userOf(env, `dt_${mover}`)).toMatchObject({
      status: 'disabled',
      user_data: { dtsync_disabled_reason: 'moved_out' },
    });
    expect(disableOf(r, mover)).toEqual({ type: 'disable', reason: 'moved_out' });
    // found in DingTalk: no leave record is needed
    expect(calls(r, '/v1.0/contact/empLeaveRecords')).toBe(0);
  });

  it('a person the app may no longer read (50002), with the scope unchanged, is disabled as out_of_scope', async () => {
    const env = await sims('absent-scope');
    const { single, tops } = layout(env);
    env.dingtalk.control.setFaults({ authedDept: [tops[0]!, tops[1]!] });
    const p = env.profile();
    expect((await env.run(p)).status).toBe('succeeded');
    const mover = single(tops[0]!);
    env.dingtalk.control.mutate({ op: 'moveUser', userid: mover, dept_id_list: [tops[2]!] });
    const r = await env.run(p);
    expect(r.status).toBe('succeeded');
    expect(userOf(env, `dt_${mover}`)).toMatchObject({
      status: 'disabled',
      user_data: { dtsync_disabled_reason: 'out_of_scope' },
    });
  });

  it('a person the walk dropped (missing from one user/list page, found by user/get) is never disabled and is named in a warning', async () => {
    const env = await sims('absent-missed');
    const p = env.profile();
    expect((await env.run(p)).status).toBe('succeeded');
    const { single, tops, o } = layout(env);
    const missed = single(tops[0]!);
    env.dingtalk.control.setFaults({ dropFromUserList: { userid: missed, deptId: tops[0]! } });
    const r = await env.run(p);
    expect(r.status).toBe('succeeded');
    expect(userOf(env, `dt_${missed}`)?.status).toBe('enabled');
    expect(r.counts.disabled).toBe(0);
    const w = r.warnings.find((x) => x.code === 'walkMissed');
    const name = o.users.find((u) => u.userid === missed)?.name ?? '';
    const department = o.departments.find((d) => d.dept_id === tops[0])?.name ?? '';
    expect(w?.params).toMatchObject({ userid: missed, deptId: tops[0], name, department });
    expect(warningText(w!, translator('en'))).toContain(`${name} (${missed}) was missing from the walk`);
    expect(warningText(w!, translator('en'))).toContain(`department “${department}” (${tops[0]})`);
  });

  it('a leaver without a leave record is unexplained: not disabled before the grace, listed with its end', async () => {
    const env = await sims('absent-unexplained');
    const p = env.profile();
    expect((await env.run(p)).status).toBe('succeeded');
    const { single, tops } = layout(env);
    const gone = single(tops[0]!);
    env.dingtalk.control.mutate({ op: 'leave', userid: gone, record: false });
    const r = await env.run(p);
    expect(r.status).toBe('succeeded');
    expect(userOf(env, `dt_${gone}`)?.status).toBe('enabled');
    expect(r.grace).toEqual([
      expect.objectContaining({ userid: gone, pdsUserId: `dt_${gone}`, since: r.startedAt }),
    ]);
    expect(Date.parse(r.grace![0]!.until) - Date.parse(r.startedAt)).toBe(24 * 3600_000);
    expect(r.warnings.find((x) => x.code === 'absenceInGrace')?.params).toMatchObject({ userid: gone });
    // a later run keeps the first time: the grace is not restarted
    const again = await env.run(p);
    expect(again.grace?.[0]?.since).toBe(r.startedAt);
  });

  it('with no grace left an unexplained absence is disabled as unexplained', async () => {
    const env = await sims('absent-no-grace');
    const p = env.profile({ sync: { safety: { absenceGraceHours: 0 } } });
    expect((await env.run(p)).status).toBe('succeeded');
    const { single, tops } = layout(env);
    const gone = single(tops[0]!);
    env.dingtalk.control.mutate({ op: 'leave', userid: gone, record: false });
    const r = await env.run(p);
    expect(userOf(env, `dt_${gone}`)?.user_data).toMatchObject({ dtsync_disabled_reason: 'unexplained' });
    expect(disableOf(r, gone)).toEqual({ type: 'disable', reason: 'unexplained' });
  });

  it('a run a pre-flight holds confirms nothing: no user/get, its disables shown unconfirmed', async () => {
    const env = await sims('absent-held');
    // the source-drop and overlap guards stay out of it: the scope guard is the one under test
    const p = env.profile({ sync: { safety: { maxSourceDropPercent: 100, minOverlapPercent: 0 } } });
    expect((await env.run(p)).status).toBe('succeeded');
    const { tops, o } = layout(env);
    // a narrowed app scope: the scope guard holds a run that would disable anyone
    env.dingtalk.control.setFaults({ authedDept: tops.slice(1) });
    const r = await env.run(p);
    expect(r.status).toBe('held');
    expect(r.held?.code).toBe('scope_changed');
    expect(calls(r, '/topapi/v2/user/get')).toBe(0);
    expect(calls(r, '/v1.0/contact/empLeaveRecords')).toBe(0);
    const shown = r.changes.filter((c) => c.action.type === 'disable');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => c.action.type === 'disable' && c.action.reason === 'unconfirmed')).toBe(true);
    expect(o.users.length).toBe(60);
    expect(env.pds.control.state().users.filter((u) => u.status === 'disabled')).toEqual([]);
  });
});

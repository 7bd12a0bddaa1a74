import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { IncidentStore } from '../../src/notify/incidents.js';
import { basic, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

/** The run page names the people behind failures and held changes, in the console's words. */

let env: SimEnv;
let web: WebUnderTest;
let cleanup: () => void;

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 23, users: 30, departments: 3 } },
    name: 'named-page',
  });
  const cfg = writeServiceConfig(env, { web: WEB_SECTION });
  cleanup = cfg.cleanup;
  web = await startWebHere(env, cfg.path);
});

afterAll(async () => {
  await web.close();
  cleanup();
  await env.close();
});

const page = async (path: string) =>
  (await fetch(`${web.url}${path}`, { headers: { authorization: basic() } })).text();

describe('the run page', () => {
  it('names the person of a failure with the reason worded like the console, and of a held change', async () => {
    const victim = env.dingtalk.control.org().users.find((u) => u.mobile !== undefined);
    if (victim?.mobile === undefined) throw new Error('nobody with a phone');
    env.pds.control.seed({
      users: [{ user_id: 'by-hand', nick_name: 'By hand', role: 'user', status: 'enabled' }],
      links: [{ user_id: 'by-hand', type: 'mobile', identity: victim.mobile, extra: '86' }],
    });
    const first = await env.run(env.profile());
    expect(first.status).toBe('succeeded_with_errors');
    const failures = await page(`/runs/${first.runId}`);
    expect(failures).toContain(victim.name);
    expect(failures).toContain('手机号已被其他用户绑定');

    const leaver = env.dingtalk.control.org().users.find((u) => u.userid !== victim.userid);
    if (leaver === undefined) throw new Error('no leaver');
    env.dingtalk.control.mutate({ op: 'leave', userid: leaver.userid });
    const held = await env.run(env.profile({ sync: { safety: { maxDisableCount: 0 } } }));
    expect(held.status).toBe('held');
    expect(await page(`/runs/${held.runId}`)).toContain(`<b>${leaver.name}</b> ${leaver.userid}`);
  });
});

describe('the status page', () => {
  it('shows the open alerts and whether the last notification failed to send', async () => {
    const store = new IncidentStore(env.redis, env.prefix);
    await store.open('acme', 'failed', { openedAt: '2026-12-04T19:07:00.000Z', runId: '7' });
    await store.setLast('acme', {
      at: '2026-12-04T19:07:05.000Z',
      kind: 'failed',
      state: 'open',
      results: [{ channel: 'dingtalk_robot', outcome: 'error', detail: 'errcode 310000' }],
    });
    const body = (await page('/')).replace(/\s+/g, ' ');
    expect(body).toContain('同步失败 · 自 2026-12-05 03:07:00 GMT+8 起');
    expect(body).toContain('上次通知发送失败：2026-12-05 03:07:05 GMT+8，同步失败');
  });
});

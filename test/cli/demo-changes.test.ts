import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { changeOrg, type DemoChange } from '../../src/cli/demo/org-changes.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

let env: SimEnv;
beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 7, users: 40, departments: 3 } },
    name: 'demo-changes',
  });
});
afterAll(async () => {
  await env.close();
});

describe('the demo’s org changes', () => {
  it('include a leaver with a leave record and one without, so a new user sees both reasons', async () => {
    const p = env.profile();
    expect((await env.run(p)).status).toBe('succeeded');
    const people = new Map(env.dingtalk.control.org().users.map((u) => [u.name, u.userid]));
    // the ticks before the mass leave (which the breaker holds)
    const changes: DemoChange[] = [];
    for (let n = 0; n < 4; n++) changes.push(changeOrg(env.dingtalk.control, n));
    const idOf = (kind: 'leave' | 'vanish') => {
      const c = changes.find((x) => x.kind === kind);
      return c !== undefined && 'name' in c ? people.get(c.name) : undefined;
    };
    const left = idOf('leave');
    const vanished = idOf('vanish');
    const r = await env.run(p);
    const pds = (userid: string | undefined) =>
      env.pds.control.state().users.find((u) => u.user_id === `dt_${userid}`);
    expect(pds(left)).toMatchObject({ status: 'disabled', user_data: { dtsync_disabled_reason: 'left' } });
    expect(pds(vanished)?.status).toBe('enabled');
    expect(r.grace?.map((g) => g.userid)).toEqual([vanished]);
  });
});

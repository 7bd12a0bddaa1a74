import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/check/run-check.js';
import { localEgressPause } from '../../src/pacing/egress-pause.js';
import { unpaced } from '../../src/pacing/pacer.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/*
 * dtsync check says whether the app may read DingTalk's leave records (issue 28.1): without
 * them a leaver is disabled only as unexplained, after the grace.
 */

let env: SimEnv;
beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 28, users: 20, departments: 3 } },
    name: 'leave-check',
  });
});
afterAll(async () => {
  await env.close();
});

const check = () => runCheck(env.profile(), { log: env.log, pacer: unpaced, egress: localEgressPause(300) });

describe('dtsync check and the leave records', () => {
  it('an app that may read the leave records: the item is ok', async () => {
    env.dingtalk.control.setFaults({ missingApiPermissions: [] });
    const result = await check();
    expect(result.items.find((i) => i.code === 'leave_records')).toMatchObject({ level: 'ok', state: 'ok' });
  });

  it('an app that may not: a warning naming the permission as DingTalk’s answer does, and the check still passes', async () => {
    env.dingtalk.control.setFaults({ missingApiPermissions: ['Contact.User.Read'] });
    const result = await check();
    expect(result.items.find((i) => i.code === 'leave_records')).toMatchObject({
      level: 'warn',
      state: 'missing',
      params: { permission: 'Contact.User.Read' },
    });
    expect(result.ok).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/check/run-check.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { unpaced } from '../../src/pacing/pacer.js';
import { CallEstimates } from '../../src/quota/estimates.js';
import { StateKeys } from '../../src/state/keys.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

let env: SimEnv;
beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 31, users: 40, departments: 5 } },
    name: 'quota-check',
  });
});
afterAll(() => env.close());

const sum = (calls: Readonly<Record<string, number>>) => Object.values(calls).reduce((a, b) => a + b, 0);

function check(monthlyQuota?: number) {
  const profile = env.profile({
    id: 'checked',
    dingtalk: monthlyQuota === undefined ? {} : { monthlyQuota },
  });
  return runCheck(profile, {
    log: env.log,
    pacer: unpaced,
    egress: new RedisEgressPause(env.redis, env.prefix, 300),
    redis: { client: env.redis, prefix: env.prefix },
    quota: env.quota,
  });
}

describe('dtsync check and the monthly quota', () => {
  it("shows the organisation's DingTalk calls this month, its own included, with no quota set, and keeps its scope walk as the estimate", async () => {
    const r = await check();
    const item = r.items.find((i) => i.code === 'dingtalk_month');
    const received = sum(env.dingtalk.control.counters().calls);
    expect(item).toMatchObject({
      level: 'ok',
      state: 'counted',
      params: { org: env.dingtalk.appKey, used: received },
    });
    const estimate = await new CallEstimates(env.redis, new StateKeys(env.prefix)).of('checked');
    expect(estimate?.source).toBe('check');
    expect(sum(estimate?.estimate.calls ?? {})).toBe(received);
    expect(r.ok).toBe(true);
  });

  it('with dingtalk.monthlyQuota, warns once the month has used 80 % of it', async () => {
    // the second check's own calls (as many as the first's) take the month to 2 × of a quota of 2.4 ×
    const first = sum(env.dingtalk.control.counters().calls);
    const r = await check(Math.floor(first * 2.4));
    const item = r.items.find((i) => i.code === 'dingtalk_month');
    expect(item).toMatchObject({ level: 'warn', state: 'near' });
    expect(Number(item?.params.percent)).toBeGreaterThanOrEqual(80);
  });
});

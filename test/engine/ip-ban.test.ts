import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { runSync } from '../../src/engine/run-sync.js';
import { egressPauseKey, RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer, type Pacer } from '../../src/pacing/pacer.js';
import type { RunReport } from '../../src/report/types.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { until } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/*
 * DingTalk's per-IP ban stops every DingTalk call of the deployment: two profiles of two
 * DingTalk apps, run as two workers would (their own connections), share one pause in Redis.
 */

let a: SimEnv;
let b: SimEnv;
beforeAll(async () => {
  a = await startSims({ dingtalk: { orgSpec: { seed: 11, users: 60, departments: 6 } }, name: 'ban-a' });
  b = await startSims({ dingtalk: { orgSpec: { seed: 12, users: 60, departments: 6 } }, name: 'ban-b' });
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

let seq = 0;

/** One run of `env`'s profile as a worker runs it, its DingTalk pause kept under `pausePrefix`. */
function run(
  env: SimEnv,
  profile: Profile,
  o: { pausePrefix: string; maxWaitSeconds: number; pacer?: Pacer },
): Promise<RunReport> {
  const engineFor = engineFactory({
    keepRuns: 10,
    redis: env.redis,
    keys: new StateKeys(env.prefix),
    pacer: o.pacer ?? new RedisPacer(env.redis, env.prefix),
    egress: new RedisEgressPause(env.redis, o.pausePrefix, o.maxWaitSeconds),
    log: env.log,
  });
  const deps = engineFor(profile, new AbortController().signal, () => undefined);
  return runSync({ runId: `ban${++seq}`, profile, trigger: 'manual', dryRun: false, deep: false }, deps);
}

describe("DingTalk's per-IP ban pauses every DingTalk call of the deployment", () => {
  it('a 1111 ban of 1 s met by one profile pauses the other too: both wait it out, both runs succeed', async () => {
    const shared = a.prefix;
    a.dingtalk.control.setFaults({ ipBan: { after: 5, seconds: 1 } });
    const first = run(a, a.profile({ id: 'alpha' }), { pausePrefix: shared, maxWaitSeconds: 300 });
    await until(async () => (await a.redis.exists(egressPauseKey(shared))) === 1, 'the ban met');

    // the other profile's DingTalk calls, as they book their instants (after the pause)
    const booked: number[] = [];
    const pacer = new RedisPacer(b.redis, b.prefix);
    const spy: Pacer = {
      take: (key, qps, signal) => {
        if (key.startsWith('dingtalk:')) booked.push(Date.now());
        return pacer.take(key, qps, signal);
      },
    };
    const second = run(b, b.profile({ id: 'beta' }), {
      pausePrefix: shared,
      maxWaitSeconds: 300,
      pacer: spy,
    });
    const [ra, rb] = await Promise.all([first, second]);

    expect([ra.status, rb.status]).toEqual(['succeeded', 'succeeded']);
    const bannedUntil = a.dingtalk.control.faults().ipBan?.until ?? Number.POSITIVE_INFINITY;
    expect(booked.length).toBeGreaterThan(0);
    // Redis's and this process's clocks are one clock, read at millisecond precision
    expect(Math.min(...booked)).toBeGreaterThanOrEqual(bannedUntil - 2);
    expect(rb.source.users).toBeGreaterThan(0);
  });

  it('a ban longer than dingtalkBan.maxWaitSeconds fails the run as dingtalk.ip_banned, not malformed', async () => {
    b.dingtalk.control.setFaults({ ipBan: { seconds: 5 } });
    const report = await run(b, b.profile({ id: 'beta' }), { pausePrefix: b.prefix, maxWaitSeconds: 1 });
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({
      code: 'dingtalk:1111',
      permanent: false,
      problem: { code: 'dingtalk.ip_banned' },
    });
    expect(report.counts.created).toBe(0);
  });
});

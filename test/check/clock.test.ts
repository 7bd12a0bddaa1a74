import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCheck } from '../../src/check/run-check.js';
import { localEgressPause } from '../../src/pacing/egress-pause.js';
import { unpaced } from '../../src/pacing/pacer.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/*
 * A PDS whose clock is 10 minutes behind this server's (this server 10 minutes ahead): the
 * check shows the offset as its own item, and a run fails as pds.clock_skew.
 */

const SMALL = { orgSpec: { seed: 21, users: 30, departments: 3 } };
let skewed: SimEnv;
let right: SimEnv;
beforeAll(async () => {
  skewed = await startSims({ dingtalk: SMALL, pdsNow: () => Date.now() - 600_000, name: 'skew' });
  right = await startSims({ dingtalk: SMALL, name: 'clock' });
});
afterAll(async () => {
  await Promise.all([skewed.close(), right.close()]);
});

const check = (env: SimEnv) =>
  runCheck(env.profile(), { log: env.log, pacer: unpaced, egress: localEgressPause(300) });

describe('dtsync check and a run with a wrong clock', () => {
  it('dtsync check shows the clock offset as its own item: off by 600 s fails, the token refusal named by it', async () => {
    const result = await check(skewed);
    expect(result.ok).toBe(false);
    const clock = result.items.find((i) => i.code === 'clock');
    expect(clock).toMatchObject({ level: 'fail', state: 'off', params: { margin: 60 } });
    // signed (+ ahead), in whole seconds; the Date header counts whole seconds, and a loaded
    // machine reads an answer a little late
    expect(String(clock?.params.offset)).toMatch(/^\+\d+$/);
    expect(Math.abs(Number(clock?.params.offset) - 600)).toBeLessThanOrEqual(5);
    expect(result.items.find((i) => i.code === 'pds_credentials')?.problem?.code).toBe('pds.clock_skew');
  });

  it('dtsync check with the clocks in step shows the clock item ok', async () => {
    const result = await check(right);
    expect(result.items.find((i) => i.code === 'clock')).toMatchObject({ level: 'ok', state: 'ok' });
    expect(result.ok).toBe(true);
  });

  it('a run against a PDS 10 minutes off fails as pds.clock_skew, permanent, before any write', async () => {
    const report = await skewed.run(skewed.profile());
    expect(report.status).toBe('failed');
    expect(report.error).toMatchObject({ permanent: true, problem: { code: 'pds.clock_skew' } });
    expect(Object.keys(skewed.pds.control.counters().calls)).toEqual(['/v2/oauth/token']);
  });
});

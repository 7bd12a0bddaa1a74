import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type Harness } from '../helpers/pds-harness.js';
import { startSimAndClient, type SimAndClient } from '../helpers/dingtalk-harness.js';

let pds: Harness;
let ding: SimAndClient | undefined;

beforeAll(async () => {
  pds = await startHarness();
  pds.sim.control.seed({ users: [{ user_id: 'exists' }] });
});
afterAll(() => pds.close());
afterEach(async () => {
  await ding?.close();
  ding = undefined;
});

describe('remote call outcomes for dtsync_remote_calls_total', () => {
  it('a PDS 429 counts as throttled, a 500 as error and the answered call as ok, per attempt', async () => {
    const client = pds.client();
    pds.sim.control.setFaults({
      inject: { count: 1, paths: ['/v2/user/get'], status: 429, code: 'Throttling' },
    });
    await client.getUser('exists');
    pds.sim.control.setFaults({
      inject: { count: 1, paths: ['/v2/user/get'], status: 500, code: 'InternalError' },
    });
    await client.getUser('exists');
    const got = client.stats.outcomes().filter((o) => o.path === '/v2/user/get');
    expect(got).toEqual(
      expect.arrayContaining([
        { path: '/v2/user/get', outcome: 'ok', n: 2 },
        { path: '/v2/user/get', outcome: 'throttled', n: 1 },
        { path: '/v2/user/get', outcome: 'error', n: 1 },
      ]),
    );
    expect(got).toHaveLength(3);
  });

  it('a DingTalk QPS throttle (90018) counts as throttled, and the retry that goes through as ok', async () => {
    ding = await startSimAndClient(
      { faults: { qpsByPath: { '/topapi/v2/department/listsub': 2 } } },
      { retryBaseMs: 1000 },
    );
    const { sim, client, stats } = ding;
    await client.authenticate();
    await Promise.all([1, 2, 3, 4].map(() => client.listSubDepartments(1)));
    const throttled = sim.control.counters().throttled['/topapi/v2/department/listsub'] ?? 0;
    expect(throttled).toBeGreaterThan(0);
    const of = (outcome: string) =>
      stats.outcomes().find((o) => o.path === '/topapi/v2/department/listsub' && o.outcome === outcome)?.n;
    expect(of('throttled')).toBe(throttled);
    expect(of('ok')).toBe(4);
  });
});

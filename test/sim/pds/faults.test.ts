import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { NO_FAULTS } from '../../../sim/pds/faults.js';
import type { PdsFaults, PdsSimulator } from '../../../sim/pds/types.js';
import { control, getToken, post, startSim, type Answer } from '../../helpers/pds-sim-raw.js';

let sim: PdsSimulator;
let api: (path: string, body: unknown) => Promise<Answer>;
let refreshToken: () => Promise<void>;

beforeAll(async () => {
  ({ sim, api, refreshToken } = await startSim());
});
afterAll(() => sim.close());
beforeEach(async () => {
  const reset = Object.fromEntries(Object.entries(NO_FAULTS));
  expect((await control(sim.url, 'POST', '/_sim/faults', reset)).status).toBe(200);
  sim.control.seed({ replace: true, users: [{ user_id: 'u1' }] });
  sim.control.resetCounters();
});

const setFaults = async (patch: Record<string, unknown>) => {
  const a = await control(sim.url, 'POST', '/_sim/faults', patch);
  expect(a.status).toBe(200);
  return a.body as unknown as PdsFaults;
};
const get = () => api('/v2/user/get', { user_id: 'u1' });

describe('PDS simulator faults, switchable at run time over HTTP', () => {
  it('GET /_sim/faults shows the faults; POST merges, null switches one off, a bad patch is 400', async () => {
    expect((await control(sim.url, 'GET', '/_sim/faults')).body).toEqual(NO_FAULTS);
    await setFaults({ qps: 50 });
    const merged = await setFaults({ latencyMs: 1 });
    expect(merged).toMatchObject({ qps: 50, latencyMs: 1 });
    expect((await setFaults({ qps: null })).qps).toBeNull();
    expect((await control(sim.url, 'POST', '/_sim/faults', { qps: -1 })).status).toBe(400);
    expect((await control(sim.url, 'POST', '/_sim/faults', { colour: 'red' })).status).toBe(400);
  });

  it('the QPS limit answers 429 with the error body beyond qps requests in a sliding second, counted as throttled', async () => {
    await setFaults({ qps: 5 });
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, () => get()));
    const elapsed = performance.now() - started;
    const throttled = answers.filter((a) => a.status === 429);
    const ok = answers.filter((a) => a.status === 200);
    expect(throttled.length + ok.length).toBe(20);
    for (const a of throttled) {
      expect(a.body).toMatchObject({
        code: 'Throttling',
        message: expect.any(String),
        request_id: expect.any(String),
      });
    }
    // Upper bound: within one second at most 5 get through (a slow machine may span more).
    if (elapsed < 1000) expect(ok.length).toBeLessThanOrEqual(5);
    const c = sim.control.counters();
    expect(c.throttled['/v2/user/get']).toBe(throttled.length);
    expect(c.calls['/v2/user/get']).toBe(20); // throttled requests are counted as received
    expect(throttled.length).toBeGreaterThan(0);
  });

  it('5xx at a rate: rate 1 fails every call, rate 0 none, nothing applied', async () => {
    await setFaults({ errorRate: { rate: 1, status: 503 } });
    const a = await api('/v2/user/create', { user_id: 'never' });
    expect(a.status).toBe(503);
    expect(a.body.code).toBe('ServiceUnavailable');
    expect(sim.control.state().users.map((u) => u.user_id)).toEqual(['u1']);
    await setFaults({ errorRate: { rate: 0 } });
    expect((await get()).status).toBe(200);
  });

  it('a write applied and then answered 503: the next N writes on the given paths', async () => {
    await setFaults({ failAfterApply: { count: 2, paths: ['/v2/user/create'] } });
    expect((await api('/v2/user/create', { user_id: 'a' })).status).toBe(503);
    expect((await api('/v2/user/update', { user_id: 'u1', nick_name: 'n' })).status).toBe(200); // other path
    expect((await api('/v2/user/create', { user_id: 'b' })).status).toBe(503);
    expect((await api('/v2/user/create', { user_id: 'c' })).status).toBe(200); // used up
    expect(sim.control.state().users.map((u) => u.user_id)).toEqual(['u1', 'a', 'b', 'c']);
    expect((await control(sim.url, 'GET', '/_sim/faults')).body.failAfterApply).toBeNull();
  });

  it('a failing write (4xx) does not use up the fail-after-apply fault', async () => {
    await setFaults({ failAfterApply: { count: 1, paths: null } });
    expect((await api('/v2/user/create', { user_id: 'u1' })).status).toBe(409);
    expect((await api('/v2/user/create', { user_id: 'x' })).status).toBe(503);
  });

  it('latency is added before the answer (lower bound only)', async () => {
    await setFaults({ latencyMs: 50 });
    const started = performance.now();
    expect((await get()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('a malformed body on the next N answers of a path (status 200, not JSON)', async () => {
    await setFaults({ malformed: { count: 1, paths: ['/v2/user/get'] } });
    const bad = await get();
    expect(bad.status).toBe(200);
    expect(() => JSON.parse(bad.text) as unknown).toThrow();
    expect((await get()).body.user_id).toBe('u1');
  });

  it('a header-only gateway error: no body, x-ca-error-code / x-ca-error-message / x-ca-request-id', async () => {
    await setFaults({
      gatewayError: {
        count: 1,
        paths: ['/v2/user/get'],
        status: 403,
        code: 'Forbidden.Gateway',
        message: 'denied',
      },
    });
    const a = await get();
    expect(a.status).toBe(403);
    expect(a.text).toBe('');
    expect(a.headers.get('x-ca-error-code')).toBe('Forbidden.Gateway');
    expect(a.headers.get('x-ca-error-message')).toBe('denied');
    expect(a.headers.get('x-ca-request-id')).toMatch(/^[0-9A-F-]{36}$/);
    expect((await get()).status).toBe(200);
  });

  it('errorCasing pascal answers Code/Message/RequestId', async () => {
    await setFaults({ errorCasing: 'pascal' });
    const a = await api('/v2/user/get', { user_id: 'nobody' });
    expect(a.status).toBe(404);
    expect(a.body).toEqual({
      Code: 'NotFound.User',
      Message: expect.any(String),
      RequestId: expect.any(String),
    });
  });

  it('an injected error answers the next N requests of a path, applying nothing; paths null spares the token call', async () => {
    await setFaults({ inject: { count: 1, paths: null, status: 403, code: 'Forbidden' } });
    // the token call is not an "API path" for paths: null
    await refreshToken();
    const a = await api('/v2/user/create', { user_id: 'blocked' });
    expect(a.status).toBe(403);
    expect(a.body.code).toBe('Forbidden');
    expect(sim.control.state().users.map((u) => u.user_id)).toEqual(['u1']);
    await setFaults({ inject: { count: 1, paths: ['/v2/oauth/token'], status: 500, code: 'InternalError' } });
    await expect(getToken(sim)).rejects.toThrow('token: 500');
  });

  it('expireTokens in a faults patch expires every token now', async () => {
    await setFaults({ expireTokens: true });
    expect((await get()).status).toBe(401);
    await refreshToken();
    expect((await get()).status).toBe(200);
  });

  it('expireTokensAfterWrites expires every token once, right after that many applied writes', async () => {
    await setFaults({ expireTokensAfterWrites: { writes: 2 } });
    const update = () => api('/v2/user/update', { user_id: 'u1', nick_name: 'x' });
    expect((await update()).status).toBe(200);
    expect((await get()).status).toBe(200); // a read does not count
    expect((await update()).status).toBe(200); // applied; every token expires now
    expect((await get()).status).toBe(401);
    expect((await control(sim.url, 'GET', '/_sim/faults')).body.expireTokensAfterWrites).toBeNull();
    await refreshToken();
    expect((await update()).status).toBe(200);
  });

  it('an unknown API path is 404 InvalidUri (not NotFound.*) and still counted as a call', async () => {
    const a = await post(sim.url, '/v2/nope', {});
    expect(a.status).toBe(404);
    expect(a.body.code).toBe('InvalidUri');
    expect(sim.control.counters().calls['/v2/nope']).toBe(1);
  });
});

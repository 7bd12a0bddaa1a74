import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../../sim/dingtalk/server.js';
import { buildOrg } from '../../helpers/org-factory.js';
import { SimHttp } from '../../helpers/dingtalk-sim-http.js';

let sim: DingTalkSimulator;
let h: SimHttp;
beforeAll(async () => {
  sim = await startDingTalkSimulator({ org: buildOrg() });
  h = new SimHttp(sim);
});
afterAll(() => sim.close());

const LIST = '/topapi/v2/user/list';
const list = (token: string) => h.topapi(LIST, { dept_id: 1, cursor: 0, size: 10 }, token);
const codeOf = (r: Record<string, unknown>) => (r.errcode === 88 ? r.sub_code : r.errcode);

describe('DingTalk simulator: a counted burst puts a fault at a chosen call', () => {
  it('serves `after` calls, faults the next `count` on its paths, then switches itself off', async () => {
    const token = await h.token();
    sim.control.setFaults({ burst: { kind: 'busy', after: 1, count: 2, paths: [LIST] } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push(codeOf(await list(token)));
    expect(codes).toEqual([0, -1, -1, 0]);
    expect(sim.control.faults().burst).toBeNull();
  });

  it('answers 90018 and 90002 in their documented forms', async () => {
    const token = await h.token();
    sim.control.setFaults({ burst: { kind: 'throttle', count: 1, paths: [LIST] } });
    expect(codeOf(await list(token))).toBe('90018');
    sim.control.setFaults({ burst: { kind: 'ban', count: 1, paths: [LIST] } });
    expect(codeOf(await list(token))).toBe(90002);
    sim.control.setFaults({ burst: { kind: 'permission', count: 1, paths: [LIST] } });
    expect(codeOf(await list(token))).toBe('60011');
  });

  it('a reset closes the connection without an answer', async () => {
    const token = await h.token();
    sim.control.setFaults({ burst: { kind: 'reset', count: 1, paths: [LIST] } });
    await expect(list(token)).rejects.toThrow();
    expect(codeOf(await list(token))).toBe(0);
  });

  it('expireTokens expires every token issued so far at that call, which then meets the token check', async () => {
    const token = await h.token();
    sim.control.setFaults({ burst: { kind: 'expireTokens', count: 1, paths: [LIST] } });
    expect(codeOf(await list(token))).toBe(42001);
    expect(sim.control.tokensIssued()).toContain(token);
    expect(codeOf(await list(await h.token()))).toBe(0);
  });

  it('a stall holds the answer for stallMs', async () => {
    const token = await h.token();
    sim.control.setFaults({ burst: { kind: 'stall', count: 1, paths: [LIST], stallMs: 300 } });
    const t0 = performance.now();
    expect(codeOf(await list(token))).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Counters, QpsLimiter, SlidingWindow } from '../../sim/counters.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import { startPdsSimulator, type PdsSimulator } from '../../sim/pds/index.js';
import { testKeyPair } from '../helpers/sims.js';

let dingtalk: DingTalkSimulator;
let pds: PdsSimulator;
beforeAll(async () => {
  dingtalk = await startDingTalkSimulator({ orgSpec: { seed: 1, users: 5, departments: 2 } });
  pds = await startPdsSimulator({ publicKey: testKeyPair().publicKeyPem });
});
afterAll(() => Promise.all([dingtalk.close(), pds.close()]));

const countersOf = async (url: string) => (await fetch(`${url}/_sim/counters`)).json() as Promise<object>;

describe('both simulators count in one shape over one sliding window', () => {
  it('both simulators answer /_sim/counters in one shape', async () => {
    const [d, p] = await Promise.all([countersOf(dingtalk.url), countersOf(pds.url)]);
    expect(Object.keys(d).sort()).toEqual(Object.keys(p).sort());
    expect(Object.keys(d).sort()).toEqual(Object.keys(new Counters().snapshot()).sort());
  });

  it.each([
    // event times, the instant counted at, events in the window ending then
    [[0, 500, 999], 999, 3],
    [[0, 500, 999], 1000, 2], // an event exactly 1 s old has left the window
    [[0, 500, 999], 1499, 2],
    [[0, 500, 999], 1500, 1],
    [[], 0, 0],
  ])('a sliding second: events %j counted at %i are %i', (times, at, n) => {
    const w = new SlidingWindow();
    for (const t of times) w.push(t);
    expect(w.countAt(at)).toBe(n);
  });

  it('keeps the busiest second it saw', () => {
    const w = new SlidingWindow();
    for (const t of [0, 100, 200, 300, 1250, 1260]) w.push(t);
    expect(w.max).toBe(4);
  });

  it('a QPS limit admits at most `limit` calls in any sliding second, per key, and refused calls use none of it', () => {
    const limiter = new QpsLimiter();
    const admitted = [0, 10, 20, 30, 40].map((t) => limiter.admit('/a', 3, t));
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(limiter.admit('/b', 3, 40)).toBe(true);
    expect(limiter.admit('/a', 3, 999)).toBe(false);
    expect(limiter.admit('/a', 3, 1000)).toBe(true); // the call at 0 has left the window
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PdsError } from '../../src/errors/pds-error.js';
import { problemText } from '../../src/errors/problem.js';
import { translator } from '../../src/i18n/catalog.js';
import { REJECTED_HINT } from '../../src/pds/classify.js';
import { problemOf } from '../../src/report/problem.js';
import { failureOf, startHarness, type Harness } from '../helpers/pds-harness.js';

/*
 * This server's clock against PDS's. The simulator keeps the real time; the client is given a
 * clock that is off (its injectable `now`), as a server with a wrong clock would be.
 */

const TOKEN = '/v2/oauth/token';
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.sim.control.seed({ users: [{ user_id: 'u1' }] });
});
afterAll(() => h.close());
beforeEach(() => h.sim.control.resetCounters());

const off = (seconds: number) => () => Date.now() + seconds * 1000;

describe('a wrong clock is named, not taken for bad credentials', () => {
  it.each([
    ['10 minutes ahead (an iat in PDS’s future)', 600],
    ['10 minutes behind (an assertion PDS finds expired)', -600],
  ])('a clock %s is pds.clock_skew, with the offset and NTP as the fix', async (_what, seconds) => {
    const err = await failureOf(h.client({ now: off(seconds) }).getUser('u1'));
    expect(err).toBeInstanceOf(PdsError);
    expect(err).toMatchObject({ kind: 'clock_skew', path: TOKEN, permanent: true, retryable: false });
    expect((err as Error).message).not.toContain(REJECTED_HINT);
    const p = problemOf(err);
    expect(p).toMatchObject({ code: 'pds.clock_skew', params: { margin: 60 } });
    // signed (+ ahead), in whole seconds; the Date header counts whole seconds, and a loaded
    // machine reads an answer a little late
    expect(String(p.params.offset)).toMatch(seconds > 0 ? /^\+\d+$/ : /^-\d+$/);
    expect(Math.abs(Number(p.params.offset) - seconds)).toBeLessThanOrEqual(5);
    expect(problemText(p, translator('en'))).toMatch(/clock is [+-]\d+ s off PDS's.*NTP/);
    expect(problemText(p, translator('zh-CN'))).toMatch(/时钟与 PDS 相差 [+-]\d+ 秒.*NTP/);
    // refused once: a wrong clock is not retried
    expect(h.sim.control.counters().calls[TOKEN]).toBe(1);
  });

  it('a clock 45 s ahead still signs an assertion PDS accepts: iat is set back by the 60 s margin', async () => {
    await expect(h.client({ now: off(45) }).getUser('u1')).resolves.toMatchObject({ user_id: 'u1' });
  });

  it('a refusal while the clocks agree is still bad credentials', async () => {
    const err = await failureOf(h.client({ pds: { clientId: 'nobody' } }).getUser('u1'));
    expect(err).toMatchObject({ kind: 'credentials', permanent: true });
    expect(problemOf(err).code).toBe('pds.credentials');
  });
});

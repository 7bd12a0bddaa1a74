import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { HAND_MADE_PHONE, outcomeOf } from './cell.js';
import { FAST } from './engine.js';
import { Matrix } from './matrix.js';
import { expectHeldAndConverged, expectRecovered, remoteCell, type RemoteResult } from './remote.js';

/**
 * The PDS row of the fault matrix (issue 16): each fault meets a churned org on the real engine
 * and clients in this process; every cell then converges.
 */

const LINK = '/v2/account/link';

const m = new Matrix<RemoteResult>(
  'fault-pds',
  {
    // the domain answers 429 beyond 40 calls a second; the client pauses 0.5-1.5 s (1-4 s in production)
    '429 storm': remoteCell((c) => {
      c.timing = { ...FAST, pdsRetry: { ...FAST.pdsRetry, throttleDelayMs: { min: 500, max: 1500 } } };
      c.env.pds.control.setFaults({ qps: 40 });
    }),
    '5xx and header-only gateway errors': remoteCell((c) => {
      c.env.pds.control.setFaults({
        errorRate: { rate: 0.1, status: 503, paths: null, seed: c.seed },
        gatewayError: { count: 6, paths: null, status: 502 },
      });
    }),
    'a link write failing every retry': remoteCell((c) => {
      c.env.pds.control.setFaults({ errorRate: { rate: 1, status: 503, paths: [LINK], seed: 1 } });
    }),
    'a lost response': remoteCell((c) => {
      c.env.pds.control.setFaults({ failAfterApply: { count: 8, paths: null } });
    }),
    'token expiry mid-apply': remoteCell((c) => {
      c.env.pds.control.setFaults({ expireTokensAfterWrites: { writes: 6 } });
    }),
    'malformed JSON on a read': remoteCell((c) => {
      c.env.pds.control.setFaults({ malformed: { count: 1, paths: ['/v2/user/list'] } });
    }),
    'malformed JSON on a write': remoteCell((c) => {
      c.env.pds.control.setFaults({ malformed: { count: 2, paths: ['/v2/user/create', LINK] } });
    }),
    'a validation error on one record': remoteCell((c) => {
      c.env.pds.control.setFaults({
        inject: { count: 1, paths: ['/v2/user/create'], status: 400, code: 'InvalidParameter.NickName' },
      });
    }),
    'AlreadyExist.Account on a hand-made user’s phone': remoteCell(
      (c) => {
        const hire = c.env.dingtalk.control.mutate({ op: 'hire', user: { mobile: HAND_MADE_PHONE } });
        if (hire.op === 'hire') c.notes.set('hire', hire.userid);
      },
      { allow: (c, line) => line === `dt_${c.notes.get('hire') ?? '?'}: no mobile link` },
    ),
  },
  1200,
);

// a test waits for its cell, which runs beside the others and, on a loaded machine, for minutes
jest.setTimeout(600_000);
beforeAll(() => m.start());
afterAll(() => m.close());

const failureCodes = (r: RemoteResult) => r.fault.result.failures.map((f) => f.code);

describe('fault matrix, PDS: every fault is held or ridden out, and the next clean run converges', () => {
  test('429 storm: paced and retried, the run succeeds; converges', async () => {
    const r = await m.result('429 storm');
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('5xx and header-only gateway errors: retried, the run succeeds; converges', async () => {
    const r = await m.result('5xx and header-only gateway errors');
    expect(r.fired.pds.gatewayError).toBeNull();
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('a link write failing every retry: reported as a record error, the rest applied, nothing else harmed', async () => {
    const r = await m.result('a link write failing every retry');
    expect(outcomeOf(r.fault.result).status).toBe('succeeded_with_errors');
    expect(failureCodes(r).length).toBeGreaterThan(0);
    expect(r.fault.violations).toEqual([]);
    expect(r.converge.violations).toEqual([]);
    expect(r.converge.nextViolations).toEqual([]);
  });

  test('a link write failing every retry is repaired by the next plain run', async () => {
    const r = await m.result('a link write failing every retry');
    expect(r.converge.check).toEqual([]);
    expect(r.converge.nextWrites).toBe(0);
  });

  test('a lost response (applied, then 503): retried without a duplicate, the run succeeds; converges', async () => {
    const r = await m.result('a lost response');
    expect(r.fired.pds.failAfterApply).toBeNull();
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('token expiry mid-apply: a fresh token, the run succeeds; converges', async () => {
    const r = await m.result('token expiry mid-apply');
    expect(r.fired.pds.expireTokensAfterWrites).toBeNull();
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('malformed JSON on a read: the run fails before any write; converges', async () => {
    const r = await m.result('malformed JSON on a read');
    expect(r.fired.pds.malformed).toBeNull();
    expect(outcomeOf(r.fault.result)).toEqual({
      status: 'failed',
      code: 'pds:MalformedResponse',
      permanent: false,
    });
    expect(r.fault.writes).toBe(0);
    expectHeldAndConverged(r);
  });

  test('malformed JSON on a write: reported as a record error, no duplicate, nothing else harmed', async () => {
    const r = await m.result('malformed JSON on a write');
    expect(r.fired.pds.malformed).toBeNull();
    expect(outcomeOf(r.fault.result).status).toBe('succeeded_with_errors');
    expect(failureCodes(r)).toEqual(['MalformedResponse', 'MalformedResponse']);
    expect(r.fault.violations).toEqual([]);
    expect(r.converge.violations).toEqual([]);
    expect(r.converge.nextViolations).toEqual([]);
  });

  test('a user created under a malformed answer gets its login links on the next plain run', async () => {
    const r = await m.result('malformed JSON on a write');
    expect(r.converge.check).toEqual([]);
  });

  test('a validation error on one record: that record is reported by its code, the rest applied; converges', async () => {
    const r = await m.result('a validation error on one record');
    expect(outcomeOf(r.fault.result).status).toBe('succeeded_with_errors');
    expect(failureCodes(r)).toEqual(['InvalidParameter.NickName']);
    expectHeldAndConverged(r);
  });

  test('AlreadyExist.Account on a hand-made user’s phone: reported, the hand-made user untouched; otherwise converges', async () => {
    const r = await m.result('AlreadyExist.Account on a hand-made user’s phone');
    expect(outcomeOf(r.fault.result).status).toBe('succeeded_with_errors');
    expect(failureCodes(r)).toEqual(['AlreadyExist.Account']);
    expect(r.fault.violations).toEqual([]);
    expect(r.converge.violations).toEqual([]);
    expect(r.converge.check).toEqual([]);
    expect(r.converge.nextViolations).toEqual([]);
  });

  test('AlreadyExist.Account is reported again by every later run', async () => {
    const r = await m.result('AlreadyExist.Account on a hand-made user’s phone');
    expect(r.converge.report.failures.map((f) => f.code)).toEqual(['AlreadyExist.Account']);
    expect(r.converge.next.failures.map((f) => f.code)).toEqual(['AlreadyExist.Account']);
  });

  test('no secret, token, phone number or email reaches Redis or a log line, in any cell', async () => {
    const { found, searched } = await m.secretsFound();
    expect(searched).toBeGreaterThan(1000);
    expect(found).toEqual([]);
  });
});

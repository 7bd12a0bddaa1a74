import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { FAST } from './engine.js';
import { Matrix } from './matrix.js';
import {
  expectFailedBeforeApply,
  expectHeldAndConverged,
  expectRecovered,
  remoteCell,
  type RemoteResult,
} from './remote.js';

/**
 * The DingTalk row of the fault matrix (issue 16): each fault meets a churned org of a few
 * hundred people on the real engine and clients in this process; every cell then converges.
 */

const USER_LIST = '/topapi/v2/user/list';
const LIST_SUB = '/topapi/v2/department/listsub';

const m = new Matrix<RemoteResult>(
  'fault-dt',
  {
    // a real storm: 90018 beyond 4 calls a second, with DingTalk's own 1 s pause
    '90018 storm': remoteCell((c) => {
      c.timing = { ...FAST, dingtalkRetryBaseMs: 1000 };
      c.env.dingtalk.control.setFaults({ qpsByPath: { [USER_LIST]: 4 } });
    }),
    '90002 ban': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({ burst: { kind: 'ban', after: 2, count: 3, paths: [LIST_SUB] } });
    }),
    '-1 busy, passing': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({ burst: { kind: 'busy', after: 3, count: 2, paths: [USER_LIST] } });
    }),
    '-1 busy on one department, lasting': remoteCell((c) => {
      const dept = c.org().departments.find((d) => d.parent_id !== undefined)?.dept_id ?? 1;
      c.env.dingtalk.control.setFaults({ failUserListDepts: [dept] });
    }),
    'HTTP 5xx': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({ serverErrorRate: 0.15 });
    }),
    'connection reset': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({ burst: { kind: 'reset', after: 4, count: 3, paths: [USER_LIST] } });
    }),
    // DingTalk's timeout alone is short (a read timed out is read again; a PDS create timed out
    // may land twice), and the stall outlasts it by far, so only the timeout can end that call
    'a stall longer than the client timeout': remoteCell((c) => {
      c.timing = { ...FAST, dingtalkTimeoutMs: 10_000 };
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'stall', after: 2, count: 1, paths: [USER_LIST], stallMs: 120_000 },
      });
    }),
    'token expiry mid-walk': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'expireTokens', after: 5, count: 1, paths: [USER_LIST] },
      });
    }),
    '60011 on a path mid-walk': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'permission', after: 5, count: 10_000, paths: [USER_LIST] },
      });
    }),
    // the profile syncs two departments; DingTalk's app scope then loses one of them
    '50004 from a scope narrowed in DingTalk': remoteCell(
      (c) => {
        c.env.dingtalk.control.setFaults({ authedDept: [c.scope?.[0] ?? 1] });
      },
      {
        before: (c) =>
          (c.scope = c
            .org()
            .departments.filter((d) => d.parent_id === 1)
            .slice(0, 2)
            .map((d) => d.dept_id)),
      },
    ),
    // a whole-org profile; DingTalk's app scope shrinks to a department of at most half the people
    'the app scope narrowed in DingTalk': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({ authedDept: [c.departmentHolding(0.5)] });
    }),
    // …or loses only a few people: the smallest top department, or those directly under the root
    'the app scope narrowed a little in DingTalk': remoteCell((c) => {
      const tops = c.topsBySize();
      c.env.dingtalk.control.setFaults({ authedDept: tops.length > 1 ? tops.slice(1) : tops });
    }),
    'malformed JSON': remoteCell(
      (c) => {
        c.notes.set('faultLogsFrom', String(c.logs.length));
        c.env.dingtalk.control.setFaults({ malformedPaths: [USER_LIST], malformedKind: 'not_json' });
      },
      {
        // the fault run's retries, from its log lines (before the convergence runs)
        extra: (c) =>
          Promise.resolve({
            retries: c.logs
              .slice(Number(c.notes.get('faultLogsFrom')))
              .filter((l) => l.includes('"msg":"dingtalk retry"'))
              .map((l) => JSON.parse(l) as { code: string; retry: number }),
          }),
      },
    ),
    'auth_user_field loses mobile': remoteCell((c) => {
      c.env.dingtalk.control.setFaults({ missingFieldPermissions: ['phone'] });
    }),
  },
  1100,
);

// a test waits for its cell, which runs beside the others and, on a loaded machine, for minutes
jest.setTimeout(600_000);
beforeAll(() => m.start());
afterAll(() => m.close());

describe('fault matrix, DingTalk: every fault is held or ridden out, and the next clean run converges', () => {
  test('90018 storm: paced and retried, the run succeeds; converges', async () => {
    const r = await m.result('90018 storm');
    expect(r.fired.dingtalkThrottled).toBeGreaterThan(0);
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('90002 ban: backed off, the run succeeds; converges', async () => {
    const r = await m.result('90002 ban');
    expect(r.fired.dingtalkBurstLeft).toBeNull(); // the fault was met in full
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('-1 busy for a moment: retried, the run succeeds; converges', async () => {
    const r = await m.result('-1 busy, passing');
    expect(r.fired.dingtalkBurstLeft).toBeNull(); // the fault was met in full
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('-1 busy that lasts: the run fails before any write (dingtalk:-1, not permanent); converges', async () => {
    const r = await m.result('-1 busy on one department, lasting');
    expectFailedBeforeApply(r, 'dingtalk:-1');
    expect(r.fault.result.error?.permanent).toBe(false);
    expectHeldAndConverged(r);
  });

  test('HTTP 5xx (15 % of calls): retried, the run succeeds; converges', async () => {
    const r = await m.result('HTTP 5xx');
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('connection reset: retried, the run succeeds; converges', async () => {
    const r = await m.result('connection reset');
    expect(r.fired.dingtalkBurstLeft).toBeNull(); // the fault was met in full
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('a stall longer than the client timeout: timed out and retried, the run succeeds; converges', async () => {
    const r = await m.result('a stall longer than the client timeout');
    expect(r.fired.dingtalkBurstLeft).toBeNull(); // the fault was met in full
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('token expiry mid-walk: a fresh token, the run succeeds; converges', async () => {
    const r = await m.result('token expiry mid-walk');
    expect(r.fired.dingtalkBurstLeft).toBeNull(); // the fault was met in full
    expectRecovered(r);
    expectHeldAndConverged(r);
  });

  test('60011 on a path mid-walk: the run fails permanently before any write (dingtalk:60011); converges', async () => {
    const r = await m.result('60011 on a path mid-walk');
    expectFailedBeforeApply(r, 'dingtalk:60011');
    expect(r.fault.result.error?.permanent).toBe(true);
    expectHeldAndConverged(r);
  });

  test('50004 from a scope narrowed in DingTalk: the run fails permanently before any write (dingtalk:50004); converges', async () => {
    const r = await m.result('50004 from a scope narrowed in DingTalk');
    expectFailedBeforeApply(r, 'dingtalk:50004');
    expect(r.fault.result.error?.permanent).toBe(true);
    expectHeldAndConverged(r);
  });

  test('the app scope narrowed in DingTalk: the people it no longer sees are held, not disabled; converges', async () => {
    const r = await m.result('the app scope narrowed in DingTalk');
    expect(r.fault.result.status).toBe('held');
    expect(r.fault.result.counts.disabled).toBe(0);
    expectHeldAndConverged(r);
  });

  test('the app scope narrowed a little in DingTalk: nothing deleted or duplicated, no unmanaged user touched', async () => {
    const r = await m.result('the app scope narrowed a little in DingTalk');
    expect(r.fault.violations.filter((v) => !v.startsWith('wrongful disable'))).toEqual([]);
    expect(r.converge.violations).toEqual([]);
  });

  test('the app scope narrowed a little in DingTalk: the run is held (scope_changed), the people it no longer sees are not disabled, and the next run converges', async () => {
    const r = await m.result('the app scope narrowed a little in DingTalk');
    expect(r.fault.violations).toEqual([]);
    expectHeldAndConverged(r);
  });

  test('malformed JSON: the run fails before any write; converges', async () => {
    const r = await m.result('malformed JSON');
    expect(r.fault.result.status).toBe('failed');
    expect(r.fault.writes).toBe(0);
    expectHeldAndConverged(r);
  });

  test('malformed JSON fails the run as permanent, in seconds: a call is tried three times at most, quickly', async () => {
    const r = await m.result('malformed JSON');
    expect(r.fault.result.error).toMatchObject({ permanent: true });
    // counted, not timed (a wall-clock bound counts a loaded machine's slowness too): only the
    // malformed answers' own two quick retries (0.25 s and 0.5 s in production), nothing longer
    const retries = r.extra.retries as { code: string; retry: number }[];
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.filter((x) => x.code !== 'malformed_response' || x.retry > 2)).toEqual([]);
  });

  test('auth_user_field loses mobile: no phone cleared, no phone login removed but the leavers’; converges once granted', async () => {
    const r = await m.result('auth_user_field loses mobile');
    expect(r.fault.result.status).toBe('succeeded');
    expect(r.fault.result.warnings.length).toBeGreaterThan(0);
    const phoneLogins = (d: typeof r.fault.before) =>
      d.links.filter((l) => l.type === 'mobile').map((l) => `${l.user_id}|${l.identity}`);
    const phones = (d: typeof r.fault.before) =>
      d.users
        .filter((u) => typeof u.phone === 'string' && u.phone !== '')
        .map((u) => `${String(u.user_id)}|${String(u.phone)}`);
    // the churn's leavers are disabled: their phone logins go with them, phone field readable or not
    const enabledBefore = new Set(
      r.fault.before.users.filter((u) => u.status === 'enabled').map((u) => String(u.user_id)),
    );
    const left = new Set(
      r.fault.after.users
        .filter((u) => u.status === 'disabled' && enabledBefore.has(String(u.user_id)))
        .map((u) => String(u.user_id)),
    );
    expect(left.size).toBeGreaterThan(0);
    const kept = (l: string) => !left.has(l.split('|')[0] ?? '');
    expect(
      phoneLogins(r.fault.before).filter((l) => kept(l) && !phoneLogins(r.fault.after).includes(l)),
    ).toEqual([]);
    expect(phoneLogins(r.fault.after).filter((l) => !kept(l))).toEqual([]);
    expect(phones(r.fault.before).filter((p) => !phones(r.fault.after).includes(p))).toEqual([]);
    expectHeldAndConverged(r);
  });

  test('no secret, token, phone number or email reaches Redis or a log line, in any cell', async () => {
    const { found, searched } = await m.secretsFound();
    expect(searched).toBeGreaterThan(1000);
    expect(found).toEqual([]);
  });
});

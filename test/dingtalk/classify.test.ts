import { describe, expect, it } from '@jest/globals';
import {
  classifyCode,
  classifyFailure,
  effectiveCode,
  parsePermission,
  RETRY_POLICIES,
  retryPolicies,
  verdictOf,
  type Failure,
  type RetryPolicyName,
} from '../../src/dingtalk/classify.js';
import type { DingTalkErrorKind } from '../../src/errors/dingtalk-error.js';

const remote = (code: string): Failure => ({ type: 'remote', code });
const http = (status: number): Failure => ({ type: 'http', status });
const retry = (wait: RetryPolicyName) => ({ action: 'retry', wait });
const refresh = { action: 'renew-token', kind: 'token' } as const;
const fail = (kind: DingTalkErrorKind) => ({ action: 'fail', kind });
/** How the error reads once the call ends on this failure (a retry's attempts spent). */
const retryable = { retryable: true, permanent: false } as const;
const spentThenPermanent = { retryable: true, permanent: true } as const;
const permanent = { retryable: false, permanent: true } as const;
const transient = { retryable: false, permanent: false } as const;

/**
 * Every code and HTTP status of the reference (§1–§6): what the client does, how the error reads
 * when the call ends on it, and why.
 */
const TABLE: [
  what: string,
  why: string,
  failure: Failure,
  decision: object,
  verdict: { retryable: boolean; permanent: boolean },
][] = [
  ['-1', 'system busy: retry at most 3 times (§6)', remote('-1'), retry('busy'), retryable],
  ['33012', 'invalid userid (§3, §6)', remote('33012'), fail('parameter'), permanent],
  ['40001', 'bad or expired access_token: refresh once (§6)', remote('40001'), refresh, transient],
  ['40014', 'bad or expired access_token: refresh once (§6)', remote('40014'), refresh, transient],
  ['42001', 'bad or expired access_token: refresh once (§6)', remote('42001'), refresh, transient],
  ['40009', 'invalid department id (§6)', remote('40009'), fail('parameter'), permanent],
  ['40035', 'illegal parameter (§3, §6)', remote('40035'), fail('parameter'), permanent],
  ['400002', 'invalid parameter (§2, §6)', remote('400002'), fail('parameter'), permanent],
  ['40068', 'invalid cursor (§3 listsimple)', remote('40068'), fail('parameter'), permanent],
  ['40069', 'invalid size (§3 listsimple)', remote('40069'), fail('parameter'), permanent],
  ['40089', 'bad appkey/appsecret (§1, §6)', remote('40089'), fail('credentials'), permanent],
  ['40096', 'bad appkey/appsecret (§1, §6)', remote('40096'), fail('credentials'), permanent],
  ['43004', 'wrong Content-Type (§6)', remote('43004'), fail('parameter'), permanent],
  ['43005', 'wrong Content-Type (§6)', remote('43005'), fail('parameter'), permanent],
  ['50002', 'user outside the authorised scope (§5, §6)', remote('50002'), fail('scope'), permanent],
  ['50004', 'department outside the authorised scope (§5, §6)', remote('50004'), fail('scope'), permanent],
  [
    '60003',
    'department deleted mid-walk: a later run sees a settled org (§2, §6)',
    remote('60003'),
    fail('not_found'),
    transient,
  ],
  [
    '60011',
    'no permission for this API: an admin must grant it (§6)',
    remote('60011'),
    fail('permission'),
    permanent,
  ],
  [
    '60019',
    'listed for v2/user/list with no meaning (§3): unknown, not retried',
    remote('60019'),
    fail('unknown'),
    transient,
  ],
  ['60020', 'caller IP not in the whitelist (§6)', remote('60020'), fail('ip_whitelist'), permanent],
  ['60121', 'user not found (resigned) (§3, §6)', remote('60121'), fail('not_found'), transient],
  ['90002', 'global QPS limit: back off from 1 s (§4, §6)', remote('90002'), retry('backoff'), retryable],
  [
    '90003',
    'per-enterprise limit, unpublished: like 90002 (§4)',
    remote('90003'),
    retry('backoff'),
    retryable,
  ],
  [
    '90004',
    'per-enterprise limit, unpublished: like 90002 (§4)',
    remote('90004'),
    retry('backoff'),
    retryable,
  ],
  [
    '90005',
    'per-enterprise limit, unpublished: like 90002 (§4)',
    remote('90005'),
    retry('backoff'),
    retryable,
  ],
  [
    '90006',
    'per-enterprise limit, unpublished: like 90002 (§4)',
    remote('90006'),
    retry('backoff'),
    retryable,
  ],
  ['90018', 'per-app QPS limit bans for 1 s (§4, §6)', remote('90018'), retry('throttle'), retryable],
  ['90019', 'ISV QPS limit (§6)', remote('90019'), retry('throttle'), retryable],
  ['90020', 'monthly quota exceeded (§6)', remote('90020'), fail('quota'), permanent],
  [
    'invalidClientIdOrSecret',
    'v1.0 accessToken: bad credentials (§1)',
    remote('invalidClientIdOrSecret'),
    fail('credentials'),
    permanent,
  ],
  [
    'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
    'new-API per-app QPS limit (§4)',
    remote('Forbidden.AccessDenied.QpsLimitForAppkeyAndApi'),
    retry('throttle'),
    retryable,
  ],
  [
    'Forbidden.AccessDenied.QpmLimitForAppkeyAndApi',
    'new-API per-minute limit (§4)',
    remote('Forbidden.AccessDenied.QpmLimitForAppkeyAndApi'),
    retry('backoff'),
    retryable,
  ],
  [
    'Forbidden.AccessDenied.QpsLimitForApi',
    'new-API global limit, like 90002 (§4)',
    remote('Forbidden.AccessDenied.QpsLimitForApi'),
    retry('backoff'),
    retryable,
  ],
  [
    'Forbidden.AccessDenied.AccessTokenPermissionDenied',
    'new-API permission denied (§6)',
    remote('Forbidden.AccessDenied.AccessTokenPermissionDenied'),
    fail('permission'),
    permanent,
  ],
  [
    '88 with no sub_code',
    '88 says "read sub_code" and there is none (§6)',
    remote(effectiveCode(88, undefined)),
    fail('unknown'),
    transient,
  ],
  ['HTTP 500', '5xx: back off', http(500), retry('server'), retryable],
  ['HTTP 503', '5xx: back off', http(503), retry('server'), retryable],
  ['HTTP 429', 'throttled without a DingTalk code: as 90018', http(429), retry('throttle'), retryable],
  [
    'HTTP 404 with no DingTalk body',
    'not an answer the reference describes',
    http(404),
    fail('unknown'),
    transient,
  ],
  ['no answer (refused, reset, timeout)', 'like 5xx', { type: 'network' }, retry('server'), retryable],
  [
    'a malformed answer',
    'a body cut short may be whole next time; one that stays malformed needs an operator',
    { type: 'malformed' },
    retry('malformed'),
    spentThenPermanent,
  ],
];

describe('retry classification (one place, by errcode or sub_code)', () => {
  it.each(TABLE)('%s: %s', (_what, _why, failure, decision, verdict) => {
    const d = classifyFailure(failure);
    expect(d).toMatchObject(decision);
    expect(verdictOf(d)).toEqual({ kind: d.kind, ...verdict });
  });

  it('credentials, permission, scope, parameter and IP-whitelist errors are permanent', () => {
    for (const code of ['40089', '40096', '60011', '50002', '50004', '40035', '400002', '33012', '60020']) {
      expect(classifyCode(code)).toMatchObject({ action: 'fail', permanent: true });
    }
    expect(classifyCode('60003')).toMatchObject({ action: 'fail', permanent: false });
  });

  it('errcode 88 is classified by its sub_code, and only by it', () => {
    expect(effectiveCode(88, '90018')).toBe('90018');
    expect(effectiveCode(88, '60011')).toBe('60011');
    expect(effectiveCode(88, '40014')).toBe('40014');
    expect(classifyCode(effectiveCode(88, '40014'))).toEqual({
      action: 'renew-token',
      kind: 'token',
      permanent: false,
    });
    expect(classifyCode(effectiveCode(88, '60011'))).toMatchObject({ action: 'fail', kind: 'permission' });
    expect(effectiveCode(60011, undefined)).toBe('60011');
    // 88 without a sub_code says nothing retryable
    expect(classifyCode(effectiveCode(88, undefined))).toMatchObject({ action: 'fail', permanent: false });
  });

  it('an unknown code is not retried', () => {
    expect(classifyCode('77777')).toMatchObject({ action: 'fail', kind: 'unknown' });
  });

  it('5xx, 429 and network errors back off; other HTTP statuses are not retried', () => {
    expect(classifyFailure({ type: 'http', status: 503 })).toMatchObject({
      action: 'retry',
      wait: 'server',
    });
    expect(classifyFailure({ type: 'http', status: 429 })).toMatchObject({
      action: 'retry',
      wait: 'throttle',
    });
    expect(classifyFailure({ type: 'network' })).toMatchObject({ action: 'retry', wait: 'server' });
    expect(classifyFailure({ type: 'http', status: 404 })).toMatchObject({ action: 'fail' });
  });

  it('a malformed answer is retried quickly a bounded number of times, then is permanent', () => {
    expect(classifyFailure({ type: 'malformed' })).toEqual({
      action: 'retry',
      wait: 'malformed',
      kind: 'malformed',
    });
    const policy = RETRY_POLICIES.malformed;
    expect(policy.maxAttempts).toBeGreaterThanOrEqual(2);
    expect(policy.maxAttempts).toBeLessThanOrEqual(4);
    // at the production base (1 s) every wait together stays under 2 s
    let waited = 0;
    for (let n = 1; n < policy.maxAttempts; n++) waited += policy.delayMs(n);
    expect(waited).toBeLessThan(2000);
    expect(policy.permanentWhenSpent).toBe(true);
  });

  it('throttling, busy and 5xx stay transient when their retries are spent: the job retries the run', () => {
    for (const name of ['throttle', 'backoff', 'busy', 'server'] as const)
      expect(RETRY_POLICIES[name].permanentWhenSpent).toBe(false);
  });

  it('90018 waits at least the base (1 s) every time; 90002, -1 and 5xx back off exponentially; -1 retries at most 3 times', () => {
    const base = 1000;
    for (let n = 1; n <= 7; n++) expect(retryPolicies(base).throttle.delayMs(n)).toBeGreaterThanOrEqual(1000);
    expect([1, 2, 3].map((n) => retryPolicies(base).backoff.delayMs(n))).toEqual([1000, 2000, 4000]);
    expect([1, 2, 3].map((n) => retryPolicies(base).busy.delayMs(n))).toEqual([1000, 2000, 4000]);
    expect([1, 2].map((n) => retryPolicies(base).server.delayMs(n))).toEqual([1000, 2000]);
    expect(RETRY_POLICIES.busy.maxAttempts).toBe(4);
    // bounded: a throttle that never lifts becomes an error
    expect(RETRY_POLICIES.throttle.maxAttempts).toBeLessThanOrEqual(10);
  });

  it('the permission of a 60011 is read from both the 88+sub_code form and the older plain form', () => {
    const subMsg =
      '应用尚未开通所需的权限：[qyapi_get_department_list]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=ding1%23qyapi_get_department_list, {requiredScopes=[qyapi_get_department_list]}';
    expect(parsePermission(subMsg, `ding talk error[subcode=60011,submsg=${subMsg}]`)).toBe(
      'qyapi_get_department_list',
    );
    expect(
      parsePermission(
        undefined,
        'ding talk error[subcode=60011,submsg=应用尚未开通所需的权限：[qyapi_get_department_member]]',
      ),
    ).toBe('qyapi_get_department_member');
    expect(parsePermission('没有调用该接口的权限，所需权限：[qyapi_get_department_member]')).toBe(
      'qyapi_get_department_member',
    );
    expect(parsePermission('没有调用该接口的权限')).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  classifyCode,
  classifyFailure,
  effectiveCode,
  parsePermission,
  RETRY_POLICIES,
} from '../../src/dingtalk/classify.js';

type Expected = 'retry' | 'refresh-token' | 'no-retry';

/** Every code of the reference table (§6) and the rate-limit table (§4). */
const TABLE: [code: string, expected: Expected, detail: string][] = [
  ['-1', 'retry', 'busy'],
  ['33012', 'no-retry', 'parameter'],
  ['40001', 'refresh-token', ''],
  ['40014', 'refresh-token', ''],
  ['42001', 'refresh-token', ''],
  ['40009', 'no-retry', 'parameter'],
  ['40035', 'no-retry', 'parameter'],
  ['400002', 'no-retry', 'parameter'],
  ['40089', 'no-retry', 'credentials'],
  ['40096', 'no-retry', 'credentials'],
  ['43004', 'no-retry', 'parameter'],
  ['43005', 'no-retry', 'parameter'],
  ['50002', 'no-retry', 'scope'],
  ['50004', 'no-retry', 'scope'],
  ['60003', 'no-retry', 'not_found'],
  ['60011', 'no-retry', 'permission'],
  ['60020', 'no-retry', 'ip_whitelist'],
  ['60121', 'no-retry', 'not_found'],
  ['90002', 'retry', 'backoff'],
  ['90018', 'retry', 'throttle'],
  ['90019', 'retry', 'throttle'],
  ['90020', 'no-retry', 'quota'],
  ['invalidClientIdOrSecret', 'no-retry', 'credentials'],
  ['Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', 'retry', 'throttle'],
  ['Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', 'retry', 'backoff'],
  ['Forbidden.AccessDenied.QpsLimitForApi', 'retry', 'backoff'],
  ['Forbidden.AccessDenied.AccessTokenPermissionDenied', 'no-retry', 'permission'],
];

describe('retry classification (one place, by errcode or sub_code)', () => {
  it.each(TABLE)('code %s is classified as %s (%s)', (code, expected, detail) => {
    const d = classifyCode(code);
    switch (expected) {
      case 'retry':
        expect(d).toMatchObject({ action: 'retry', policy: detail });
        break;
      case 'refresh-token':
        expect(d).toEqual({ action: 'refresh-token' });
        break;
      case 'no-retry':
        expect(d).toMatchObject({ action: 'fail', kind: detail });
        break;
    }
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
    expect(classifyCode(effectiveCode(88, '40014'))).toEqual({ action: 'refresh-token' });
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
      policy: 'server',
    });
    expect(classifyFailure({ type: 'http', status: 429 })).toMatchObject({
      action: 'retry',
      policy: 'throttle',
    });
    expect(classifyFailure({ type: 'network' })).toMatchObject({ action: 'retry', policy: 'server' });
    expect(classifyFailure({ type: 'http', status: 404 })).toMatchObject({ action: 'fail' });
  });

  it('a malformed answer is retried quickly a bounded number of times, then is permanent', () => {
    expect(classifyFailure({ type: 'malformed' })).toEqual({
      action: 'retry',
      policy: 'malformed',
      kind: 'malformed',
    });
    const policy = RETRY_POLICIES.malformed;
    expect(policy.maxAttempts).toBeGreaterThanOrEqual(2);
    expect(policy.maxAttempts).toBeLessThanOrEqual(4);
    // at the production base (1 s) every wait together stays under 2 s
    let waited = 0;
    for (let n = 1; n < policy.maxAttempts; n++) waited += policy.delayMs(n, 1000);
    expect(waited).toBeLessThan(2000);
    expect(policy.permanentWhenSpent).toBe(true);
  });

  it('throttling, busy and 5xx stay transient when their retries are spent: the job retries the run', () => {
    for (const name of ['throttle', 'backoff', 'busy', 'server'] as const)
      expect(RETRY_POLICIES[name].permanentWhenSpent).toBe(false);
  });

  it('90018 waits at least the base (1 s) every time; 90002, -1 and 5xx back off exponentially; -1 retries at most 3 times', () => {
    const base = 1000;
    for (let n = 1; n <= 7; n++)
      expect(RETRY_POLICIES.throttle.delayMs(n, base)).toBeGreaterThanOrEqual(1000);
    expect([1, 2, 3].map((n) => RETRY_POLICIES.backoff.delayMs(n, base))).toEqual([1000, 2000, 4000]);
    expect([1, 2, 3].map((n) => RETRY_POLICIES.busy.delayMs(n, base))).toEqual([1000, 2000, 4000]);
    expect([1, 2].map((n) => RETRY_POLICIES.server.delayMs(n, base))).toEqual([1000, 2000]);
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

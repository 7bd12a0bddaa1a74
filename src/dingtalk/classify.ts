import type { DingTalkErrorKind } from '../errors/dingtalk-error.js';
import {
  verdictOf as verdictWith,
  type RetryDecision,
  type RetryPolicy,
  type Verdict,
} from '../http/retry-loop.js';

/**
 * The one place that decides, per DingTalk code, whether a call is retried, needs a fresh
 * token, or fails. Codes from the reference table (§6, §4); permission, scope, credential and
 * parameter errors are never retried: retrying them as if they were throttling is a mistake
 * public syncers made.
 */

export type RetryPolicyName = 'throttle' | 'backoff' | 'busy' | 'server' | 'malformed' | 'ban';

const exponential = (baseMs: number) => (retry: number) => baseMs * 2 ** (retry - 1);

/**
 * DingTalk's retry policies, each with its own count of tries, given the base of every wait
 * (1 s in production: DingTalk's "back off from 1 s"; tests shorten it).
 */
export function retryPolicies(baseMs: number): Readonly<Record<RetryPolicyName, RetryPolicy>> {
  const policy = (name: RetryPolicyName, p: Omit<RetryPolicy, 'budget'>): RetryPolicy => ({
    budget: name,
    ...p,
  });
  return {
    // 90018/90019: DingTalk bans for 1 s; sleep 1 s and continue (the pacer spreads the retries).
    throttle: policy('throttle', { maxAttempts: 8, delayMs: () => baseMs, permanentWhenSpent: false }),
    // 90002 (global per API, with a ban window): 1 s, 2 s, 4 s… as DingTalk advises.
    backoff: policy('backoff', { maxAttempts: 6, delayMs: exponential(baseMs), permanentWhenSpent: false }),
    // -1 "system busy": at most 3 retries.
    busy: policy('busy', { maxAttempts: 4, delayMs: exponential(baseMs), permanentWhenSpent: false }),
    // 5xx and network errors.
    server: policy('server', { maxAttempts: 5, delayMs: exponential(baseMs), permanentWhenSpent: false }),
    // A body cut short in transit may be whole on the next try (0.25 s, 0.5 s); one that stays
    // malformed is how DingTalk answers now, which re-running the job minutes later will not
    // change: an operator must look, so the run fails at once, naming the path and the fault.
    malformed: policy('malformed', {
      maxAttempts: 3,
      delayMs: (retry) => (baseMs / 4) * retry,
      permanentWhenSpent: true,
    }),
    // DingTalk's per-IP ban: the wait is the shared egress pause (pacing/egress-pause.ts) every
    // call waits out before it is sent, bounded by dingtalkBan.maxWaitSeconds, not by a count.
    ban: policy('ban', {
      maxAttempts: Number.POSITIVE_INFINITY,
      delayMs: () => 0,
      permanentWhenSpent: false,
    }),
  };
}

/** The policies at the production base: what a decision's verdict reads. */
export const RETRY_POLICIES = retryPolicies(1000);

export type Decision = RetryDecision<RetryPolicyName, DingTalkErrorKind>;

const retry = (wait: RetryPolicyName, kind: DingTalkErrorKind): Decision => ({
  action: 'retry',
  wait,
  kind,
});
// A token refused again right after a fresh one: a later run fetches another.
const renew: Decision = { action: 'renew-token', kind: 'token', permanent: false };
const fail = (kind: DingTalkErrorKind, permanent: boolean): Decision => ({ action: 'fail', kind, permanent });

const CODES: ReadonlyMap<string, Decision> = new Map<string, Decision>([
  ['-1', retry('busy', 'busy')],
  ['33012', fail('parameter', true)],
  ['40001', renew],
  ['40014', renew],
  ['42001', renew],
  ['40009', fail('parameter', true)],
  ['40035', fail('parameter', true)],
  ['400002', fail('parameter', true)],
  ['40068', fail('parameter', true)],
  ['40069', fail('parameter', true)],
  ['40089', fail('credentials', true)],
  ['40096', fail('credentials', true)],
  ['43004', fail('parameter', true)],
  ['43005', fail('parameter', true)],
  ['50002', fail('scope', true)],
  ['50004', fail('scope', true)],
  // Deleted mid-walk / resigned: the org changed under us; a later run will see a settled org.
  ['60003', fail('not_found', false)],
  ['60121', fail('not_found', false)],
  ['60011', fail('permission', true)],
  ['60020', fail('ip_whitelist', true)],
  ['90002', retry('backoff', 'throttled')],
  // Per-enterprise limits: numbers unpublished (reference §4), unconfirmed: treated like 90002.
  ['90003', retry('backoff', 'throttled')],
  ['90004', retry('backoff', 'throttled')],
  ['90005', retry('backoff', 'throttled')],
  ['90006', retry('backoff', 'throttled')],
  ['90018', retry('throttle', 'throttled')],
  ['90019', retry('throttle', 'throttled')],
  // The organisation's monthly quota of metered APIs is spent: refused until the next natural
  // month (or an upgrade), so the run fails at once instead of retrying into the same answer.
  ['90020', fail('quota', true)],
  // api.dingtalk.com (v1.0) codes.
  ['invalidClientIdOrSecret', fail('credentials', true)],
  ['Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', retry('throttle', 'throttled')],
  ['Forbidden.AccessDenied.QpmLimitForAppkeyAndApi', retry('backoff', 'throttled')],
  ['Forbidden.AccessDenied.QpsLimitForApi', retry('backoff', 'throttled')],
  ['Forbidden.AccessDenied.AccessTokenPermissionDenied', fail('permission', true)],
  ['Forbidden.AccessDenied.ApiCountLimitForOrg', fail('quota', true)],
  // Unconfirmed (not in the reference): the new APIs' answer to a bad or expired token.
  ['InvalidAuthentication', renew],
]);

/**
 * The code that decides: `sub_code` when `errcode` is 88 (DingTalk's "read sub_code" wrapper),
 * else `errcode`.
 */
export function effectiveCode(errcode: number, subCode: string | undefined): string {
  if (errcode === 88 && subCode !== undefined && subCode !== '') return subCode;
  return String(errcode);
}

/** Decision for a code DingTalk returned (see `effectiveCode`). Unknown codes fail, not permanently. */
export function classifyCode(code: string): Decision {
  return CODES.get(code) ?? fail('unknown', false);
}

/** A failed attempt, as the executor saw it. */
export type Failure =
  | { readonly type: 'remote'; readonly code: string }
  | { readonly type: 'http'; readonly status: number }
  | { readonly type: 'network' }
  | { readonly type: 'malformed' }
  /** DingTalk's per-IP ban answered, asking for `waitSeconds` (the pause is shared, and waited out). */
  | { readonly type: 'banned'; readonly waitSeconds: number }
  /** The ban's whole pause is longer than `dingtalkBan.maxWaitSeconds`. */
  | { readonly type: 'ban_too_long' };

export function classifyFailure(f: Failure): Decision {
  switch (f.type) {
    case 'remote':
      return classifyCode(f.code);
    case 'http':
      if (f.status >= 500) return retry('server', 'server');
      if (f.status === 429) return retry('throttle', 'throttled');
      return fail('unknown', false);
    case 'network':
      return retry('server', 'network');
    case 'malformed':
      return retry('malformed', 'malformed');
    case 'banned':
      return retry('ban', 'ip_banned');
    case 'ban_too_long':
      // the job's own retries come back after the ban: not permanent
      return fail('ip_banned', false);
  }
}

/**
 * What an error says of itself, from the decision that ended its call. A retry decision ends a
 * call only when its policy's attempts are spent: retryable, and permanent as the policy says. A
 * token refused again right after a fresh one is neither (a later run fetches another).
 */
export const verdictOf = (d: Decision): Verdict<DingTalkErrorKind> => verdictWith(d, RETRY_POLICIES);

/**
 * The API permission a 60011 names. Newer form: `sub_msg` "…：[qyapi_get_department_list]…
 * {requiredScopes=[qyapi_get_department_list]}"; older form: plain `errmsg`. Tolerant: the
 * first `requiredScopes=[…]`, else the first bracketed identifier, else a bare `qyapi_…` word.
 */
export function parsePermission(...texts: readonly (string | undefined)[]): string | undefined {
  const patterns = [
    /requiredScopes=\[\s*([A-Za-z0-9_.]+)/,
    /\[\s*([A-Za-z][A-Za-z0-9_.]*)\s*[\],]/,
    /\b(qyapi_[A-Za-z0-9_]+)/,
  ];
  for (const pattern of patterns) {
    for (const text of texts) {
      if (text === undefined) continue;
      const m = pattern.exec(text);
      if (m?.[1] !== undefined) return m[1];
    }
  }
  return undefined;
}

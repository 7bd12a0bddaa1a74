import type { PdsErrorKind } from '../errors/pds-error.js';
import { codeMatches } from '../errors/remote-error.js';
import { verdictOf as verdictWith, type RetryDecision, type Verdict } from '../http/retry-loop.js';
import { CLOCK_MARGIN_SECONDS, isSkewed } from './clock.js';
import { DEFAULT_RETRY, pdsRetryPolicies } from './retry.js';

/**
 * The one place that decides what a failed PDS attempt means (reference §5): whether the call is
 * retried, renews its token or fails, whether an operator must act, and the error's `kind`, which
 * the report, the record failures and their reasons read. Statuses decide what is retried; codes
 * (matched by prefix, `codeMatches`) decide the kind, and the token codes renew the token whatever
 * status a gateway maps them to.
 */

/** A failed attempt, as the retry loop (core.ts) saw it. */
export type PdsFailure =
  /**
   * A non-2xx answer: its status, its code (`Http<status>` when it named none), and PDS's clock
   * minus ours by its `Date` header, when it had one.
   */
  | {
      readonly type: 'answer';
      readonly status: number;
      readonly code: string;
      readonly clockOffsetMs?: number | undefined;
    }
  /** No answer at all: refused, reset, DNS, timeout. */
  | { readonly type: 'network' }
  /** A 2xx answer whose body is not what the reference says, or a listing that would never end. */
  | { readonly type: 'malformed' }
  /** The configured private key is unusable: found before any request. */
  | { readonly type: 'key' };

/** The pause before another attempt (retry.ts): throttled, or a server that failed or never answered. */
export type PdsWait = 'throttle' | 'backoff';

/** The shared decision, and on a refusal the likely cause its message names. */
export type PdsDecision = RetryDecision<PdsWait, PdsErrorKind> & { readonly hint?: string };

/** The token request has no token to renew, and its 4xx refuses the credentials themselves. */
export type PdsEndpoint = 'api' | 'token';

export const REJECTED_HINT =
  "clientId unknown, or this key's public half is not registered for the JWT application";

export const SKEWED_HINT = `this server's clock is more than ${CLOCK_MARGIN_SECONDS} s off PDS's: set it right with NTP`;

/**
 * What each PDS code means, by prefix (`AlreadyExist` covers `AlreadyExist.User`). The reference's
 * codes (§5) and the ones the record failures name. A code added here must say its kind; the
 * report and the failure words are total over the kinds (test/pds/classify.test.ts walks them).
 */
export const PDS_CODES = {
  AccessTokenInvalid: 'credentials',
  TokenExpired: 'credentials',
  QuotaExhausted: 'quota',
  Forbidden: 'forbidden',
  ForbiddenNoPermission: 'forbidden',
  AccessDenied: 'forbidden',
  InvalidParameter: 'invalid',
  InvalidParameterMissing: 'invalid',
  InvalidParameterOutOfRange: 'invalid',
  Invalid: 'invalid',
  MissingParameter: 'invalid',
  NotFound: 'not_found',
  AlreadyExist: 'exists',
  NotEmpty: 'other',
  // The reference leaves the 429 code unconfirmed; the SDKs' name, should a gateway send it on another status.
  Throttling: 'throttled',
  InternalError: 'server',
  ServiceUnavailable: 'server',
} as const satisfies Readonly<Record<string, PdsErrorKind>>;

export type PdsCode = keyof typeof PDS_CODES;

/** The token codes: a refused token is renewed once, whatever status carried it. */
const TOKEN_CODES: readonly PdsCode[] = ['AccessTokenInvalid', 'TokenExpired'];

const CODE_RULES = Object.entries(PDS_CODES) as [PdsCode, PdsErrorKind][];

/** The kind a code names (no prefix in the table is another's prefix); undefined when unlisted. */
export const kindOfCode = (code: string): PdsErrorKind | undefined =>
  CODE_RULES.find(([prefix]) => codeMatches(code, prefix))?.[1];

const retry = (wait: PdsWait, kind: PdsErrorKind): PdsDecision => ({ action: 'retry', wait, kind });
const fail = (kind: PdsErrorKind, permanent: boolean, hint?: string): PdsDecision =>
  hint === undefined ? { action: 'fail', kind, permanent } : { action: 'fail', kind, permanent, hint };

/** 500 / 503 per the reference, and the gateway's 502 / 504. */
const SERVER_RETRIED = new Set([500, 502, 503, 504]);

export function classifyFailure(f: PdsFailure, endpoint: PdsEndpoint): PdsDecision {
  switch (f.type) {
    case 'network':
      return retry('backoff', 'network');
    case 'malformed':
      // How PDS answers now: another attempt would read the same body.
      return fail('malformed', false);
    case 'key':
      return fail('key', true);
    case 'answer':
      return endpoint === 'token'
        ? classifyTokenAnswer(f.status, f.clockOffsetMs)
        : classifyApiAnswer(f.status, f.code);
  }
}

function classifyApiAnswer(status: number, code: string): PdsDecision {
  if (status === 401 || TOKEN_CODES.some((c) => codeMatches(code, c)))
    // refused again with a fresh token: the credentials are
    return { action: 'renew-token', kind: 'credentials', permanent: true };
  if (status === 429) return retry('throttle', 'throttled');
  if (SERVER_RETRIED.has(status)) return retry('backoff', 'server');
  // 403 means "not allowed": an admin must grant it. 400/404/409 concern one record.
  return fail(kindOfCode(code) ?? kindOfStatus(status), status === 403);
}

function classifyTokenAnswer(status: number, clockOffsetMs: number | undefined): PdsDecision {
  if (status === 429) return retry('throttle', 'throttled');
  if (SERVER_RETRIED.has(status)) return retry('backoff', 'server');
  // A refused assertion, whatever the code, from a server whose clock is far from ours: the
  // assertion's times are what it refused (an iat in its future, an exp in its past).
  if (status < 500 && isSkewed(clockOffsetMs)) return fail('clock_skew', true, SKEWED_HINT);
  // A 4xx from the token endpoint refuses these credentials: retrying cannot change that.
  if (status < 500) return fail('credentials', true, REJECTED_HINT);
  return fail('server', false);
}

/** An answer whose code names no kind: what its status says. */
function kindOfStatus(status: number): PdsErrorKind {
  if (status === 403) return 'forbidden';
  if (status >= 500) return 'server';
  return 'other';
}

/** The waits' verdicts (never permanent when spent) do not depend on their pauses. */
const POLICIES = pdsRetryPolicies(DEFAULT_RETRY, Math.random);

/**
 * What an error says of itself, from the decision that ended its call. A retry decision ends a
 * call only when its attempts are spent (or the write may have landed): retryable, and a later
 * run may succeed. A token refused again right after its renewal means the credentials are.
 */
export const verdictOf = (d: PdsDecision): Verdict<PdsErrorKind> => verdictWith(d, POLICIES);

/** The verdict on a failure found outside the retry loop (a listing's marker, the key file). */
export const verdict = (f: PdsFailure, endpoint: PdsEndpoint = 'api') =>
  verdictOf(classifyFailure(f, endpoint));

import { codeMatches } from '../errors/remote-error.js';

/**
 * The one place that decides, per failed PDS attempt, whether the call is retried, renews its
 * token, or fails, and whether an operator must act (reference §5). Statuses decide, not codes,
 * except the token codes: a gateway may map those to another status.
 */

/** A failed attempt, as the retry loop (core.ts) saw it. */
export type PdsFailure =
  /** A non-2xx answer: its status and its code (`Http<status>` when it named none). */
  | { readonly type: 'answer'; readonly status: number; readonly code: string }
  /** No answer at all: refused, reset, DNS, timeout. */
  | { readonly type: 'network' }
  /** A 2xx answer whose body is not what the reference says, or a listing that would never end. */
  | { readonly type: 'malformed' }
  /** The configured private key is unusable: found before any request. */
  | { readonly type: 'key' };

/** The pause before another attempt (retry.ts): throttled, or a server that failed or never answered. */
export type PdsWait = 'throttle' | 'backoff';

export type PdsDecision =
  | { readonly action: 'retry'; readonly wait: PdsWait }
  | { readonly action: 'renew-token' }
  | { readonly action: 'fail'; readonly permanent: boolean; readonly hint?: string };

/** The token request has no token to renew, and its 4xx refuses the credentials themselves. */
export type PdsEndpoint = 'api' | 'token';

export const REJECTED_HINT =
  "clientId unknown, or this key's public half is not registered for the JWT application";

const retry = (wait: PdsWait): PdsDecision => ({ action: 'retry', wait });
const fail = (permanent: boolean, hint?: string): PdsDecision =>
  hint === undefined ? { action: 'fail', permanent } : { action: 'fail', permanent, hint };

/** 500 / 503 per the reference, and the gateway's 502 / 504. */
const SERVER_RETRIED = new Set([500, 502, 503, 504]);

export function classifyFailure(f: PdsFailure, endpoint: PdsEndpoint): PdsDecision {
  switch (f.type) {
    case 'network':
      return retry('backoff');
    case 'malformed':
      // How PDS answers now: another attempt would read the same body.
      return fail(false);
    case 'key':
      return fail(true);
    case 'answer':
      return endpoint === 'token' ? classifyTokenAnswer(f.status) : classifyApiAnswer(f.status, f.code);
  }
}

function classifyApiAnswer(status: number, code: string): PdsDecision {
  if (status === 401 || codeMatches(code, 'AccessTokenInvalid') || codeMatches(code, 'TokenExpired'))
    return { action: 'renew-token' };
  if (status === 429) return retry('throttle');
  if (SERVER_RETRIED.has(status)) return retry('backoff');
  // 403 means "not allowed": an admin must grant it. 400/404/409 concern one record.
  return fail(status === 403);
}

function classifyTokenAnswer(status: number): PdsDecision {
  if (status === 429) return retry('throttle');
  if (SERVER_RETRIED.has(status)) return retry('backoff');
  // A 4xx from the token endpoint refuses these credentials: retrying cannot change that.
  if (status < 500) return fail(true, REJECTED_HINT);
  return fail(false);
}

/**
 * What an error says of itself, from the decision that ended its call. A retry decision ends a
 * call only when its attempts are spent (or the write may have landed): retryable, and a later
 * run may succeed. A token refused again right after its renewal means the credentials are.
 */
export function verdictOf(d: PdsDecision): { readonly permanent: boolean; readonly retryable: boolean } {
  switch (d.action) {
    case 'retry':
      return { permanent: false, retryable: true };
    case 'renew-token':
      return { permanent: true, retryable: false };
    case 'fail':
      return { permanent: d.permanent, retryable: false };
  }
}

/** The verdict on a failure found outside the retry loop (a listing's marker, the key file). */
export const verdict = (f: PdsFailure, endpoint: PdsEndpoint = 'api') =>
  verdictOf(classifyFailure(f, endpoint));

import { describe, expect, it } from '@jest/globals';
import {
  classifyFailure,
  REJECTED_HINT,
  verdictOf,
  type PdsEndpoint,
  type PdsFailure,
} from '../../src/pds/classify.js';

const answer = (status: number, code: string): PdsFailure => ({ type: 'answer', status, code });
const retry = (wait: 'throttle' | 'backoff') => ({ action: 'retry', wait });
const renew = { action: 'renew-token' };
const fail = (permanent: boolean) => ({ action: 'fail', permanent });
const rejected = { action: 'fail', permanent: true, hint: REJECTED_HINT };
/** How the error reads once the call ends on this failure (a retry's attempts spent). */
const retryable = { retryable: true, permanent: false } as const;
const permanent = { retryable: false, permanent: true } as const;
const transient = { retryable: false, permanent: false } as const;

/**
 * Every status and code of the reference (§5), on an API call and on the token request, and the
 * failures with no answer: what the client does, how the error reads when the call ends on it,
 * and why.
 */
const TABLE: [
  endpoint: PdsEndpoint,
  what: string,
  why: string,
  failure: PdsFailure,
  decision: object,
  verdict: { retryable: boolean; permanent: boolean },
][] = [
  [
    'api',
    '400 InvalidParameter',
    'bad request: do not retry',
    answer(400, 'InvalidParameter'),
    fail(false),
    transient,
  ],
  [
    'api',
    '400 InvalidParameterMissing',
    'bad request: do not retry',
    answer(400, 'InvalidParameterMissing'),
    fail(false),
    transient,
  ],
  [
    'api',
    '400 InvalidParameterOutOfRange',
    'bad request: do not retry',
    answer(400, 'InvalidParameterOutOfRange'),
    fail(false),
    transient,
  ],
  [
    'api',
    '400 QuotaExhausted',
    'the domain user quota is reached: this record fails, the run goes on',
    answer(400, 'QuotaExhausted'),
    fail(false),
    transient,
  ],
  ['api', '400 NotEmpty', 'group not empty: do not retry', answer(400, 'NotEmpty'), fail(false), transient],
  [
    'api',
    '401 AccessTokenInvalid',
    'get a new token, retry once; refused again, the credentials are',
    answer(401, 'AccessTokenInvalid'),
    renew,
    permanent,
  ],
  [
    'api',
    '401 TokenExpired',
    'get a new token, retry once; refused again, the credentials are',
    answer(401, 'TokenExpired'),
    renew,
    permanent,
  ],
  [
    'api',
    '401 with no code',
    'a 401 is a refused token whatever its code',
    answer(401, 'Http401'),
    renew,
    permanent,
  ],
  [
    'api',
    '403 AccessTokenInvalid',
    'the token codes renew whatever status a gateway maps them to',
    answer(403, 'AccessTokenInvalid'),
    renew,
    permanent,
  ],
  [
    'api',
    '400 TokenExpired.Session',
    'a token code with a suffix is the token code',
    answer(400, 'TokenExpired.Session'),
    renew,
    permanent,
  ],
  [
    'api',
    '403 Forbidden',
    'not allowed: an admin must grant it',
    answer(403, 'Forbidden'),
    fail(true),
    permanent,
  ],
  [
    'api',
    '403 ForbiddenNoPermission.User',
    'not allowed: an admin must grant it',
    answer(403, 'ForbiddenNoPermission.User'),
    fail(true),
    permanent,
  ],
  ['api', '404 NotFound.User', 'missing: do not retry', answer(404, 'NotFound.User'), fail(false), transient],
  [
    'api',
    '409 AlreadyExist.User',
    'create conflict: the caller treats it as "exists"',
    answer(409, 'AlreadyExist.User'),
    fail(false),
    transient,
  ],
  [
    'api',
    '429',
    'throttled: wait a random 1–4 s and retry (the JS SDK)',
    answer(429, 'Throttling'),
    retry('throttle'),
    retryable,
  ],
  [
    'api',
    '500 InternalError',
    'retry with backoff',
    answer(500, 'InternalError'),
    retry('backoff'),
    retryable,
  ],
  ['api', '502 from a gateway', 'retry with backoff', answer(502, 'Http502'), retry('backoff'), retryable],
  [
    'api',
    '503 ServiceUnavailable',
    'retry with backoff',
    answer(503, 'ServiceUnavailable'),
    retry('backoff'),
    retryable,
  ],
  ['api', '504 from a gateway', 'retry with backoff', answer(504, 'Http504'), retry('backoff'), retryable],
  ['api', '501', 'not a failure the reference retries', answer(501, 'Http501'), fail(false), transient],
  [
    'token',
    '401 InvalidParameter.ClientId',
    'the token endpoint refused these credentials: retrying cannot change that',
    answer(401, 'InvalidParameter.ClientId'),
    rejected,
    permanent,
  ],
  [
    'token',
    '400 InvalidParameter.Assertion',
    'the token endpoint refused these credentials: retrying cannot change that',
    answer(400, 'InvalidParameter.Assertion'),
    rejected,
    permanent,
  ],
  [
    'token',
    '403 Forbidden',
    'the token endpoint refused these credentials: retrying cannot change that',
    answer(403, 'Forbidden'),
    rejected,
    permanent,
  ],
  [
    'token',
    '429',
    'throttled: retried like any call',
    answer(429, 'Throttling'),
    retry('throttle'),
    retryable,
  ],
  [
    'token',
    '503 ServiceUnavailable',
    'retry with backoff',
    answer(503, 'ServiceUnavailable'),
    retry('backoff'),
    retryable,
  ],
  ['token', '501', 'not a failure the reference retries', answer(501, 'Http501'), fail(false), transient],
  [
    'api',
    'no answer',
    'refused, reset or timed out: like a 5xx',
    { type: 'network' },
    retry('backoff'),
    retryable,
  ],
  [
    'token',
    'no answer',
    'refused, reset or timed out: like a 5xx',
    { type: 'network' },
    retry('backoff'),
    retryable,
  ],
  [
    'api',
    'a malformed 2xx body',
    'how PDS answers now: another attempt would read the same',
    { type: 'malformed' },
    fail(false),
    transient,
  ],
  [
    'token',
    'an unusable private key',
    'found before any request: an operator must fix the key',
    { type: 'key' },
    fail(true),
    permanent,
  ],
];

describe('PDS retry classification (one place, by status, and the token codes)', () => {
  it.each(TABLE)('%s %s: %s', (endpoint, _what, _why, failure, decision, verdict) => {
    const d = classifyFailure(failure, endpoint);
    expect(d).toEqual(decision);
    expect(verdictOf(d)).toEqual(verdict);
  });
});

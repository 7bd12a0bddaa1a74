import { describe, expect, it } from '@jest/globals';
import { PDS_ERROR_KINDS, PdsError, type PdsErrorKind } from '../../src/errors/pds-error.js';
import { isMessageKey } from '../../src/i18n/catalog.js';
import {
  classifyFailure,
  kindOfCode,
  PDS_CODES,
  REJECTED_HINT,
  verdict,
  verdictOf,
  type PdsEndpoint,
  type PdsFailure,
} from '../../src/pds/classify.js';
import { failureKindOf } from '../../src/report/failure-kind.js';
import { problemOf } from '../../src/report/problem.js';

const answer = (status: number, code: string): PdsFailure => ({ type: 'answer', status, code });
const retry = (wait: 'throttle' | 'backoff', kind: PdsErrorKind) => ({ action: 'retry', wait, kind });
const renew = { action: 'renew-token', kind: 'credentials', permanent: true };
const fail = (permanent: boolean, kind: PdsErrorKind) => ({ action: 'fail', kind, permanent });
const rejected = { action: 'fail', kind: 'credentials', permanent: true, hint: REJECTED_HINT };
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
    fail(false, 'invalid'),
    transient,
  ],
  [
    'api',
    '400 InvalidParameterMissing',
    'bad request: do not retry',
    answer(400, 'InvalidParameterMissing'),
    fail(false, 'invalid'),
    transient,
  ],
  [
    'api',
    '400 InvalidParameterOutOfRange',
    'bad request: do not retry',
    answer(400, 'InvalidParameterOutOfRange'),
    fail(false, 'invalid'),
    transient,
  ],
  [
    'api',
    '400 QuotaExhausted',
    'the domain user quota is reached: this record fails, the run goes on',
    answer(400, 'QuotaExhausted'),
    fail(false, 'quota'),
    transient,
  ],
  [
    'api',
    '400 NotEmpty',
    'group not empty: do not retry',
    answer(400, 'NotEmpty'),
    fail(false, 'other'),
    transient,
  ],
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
    fail(true, 'forbidden'),
    permanent,
  ],
  [
    'api',
    '403 ForbiddenNoPermission.User',
    'not allowed: an admin must grant it',
    answer(403, 'ForbiddenNoPermission.User'),
    fail(true, 'forbidden'),
    permanent,
  ],
  [
    'api',
    '404 NotFound.User',
    'missing: do not retry',
    answer(404, 'NotFound.User'),
    fail(false, 'not_found'),
    transient,
  ],
  [
    'api',
    '409 AlreadyExist.User',
    'create conflict: the caller treats it as "exists"',
    answer(409, 'AlreadyExist.User'),
    fail(false, 'exists'),
    transient,
  ],
  [
    'api',
    '429',
    'throttled: wait a random 1–4 s and retry (the JS SDK)',
    answer(429, 'Throttling'),
    retry('throttle', 'throttled'),
    retryable,
  ],
  [
    'api',
    '500 InternalError',
    'retry with backoff',
    answer(500, 'InternalError'),
    retry('backoff', 'server'),
    retryable,
  ],
  [
    'api',
    '502 from a gateway',
    'retry with backoff',
    answer(502, 'Http502'),
    retry('backoff', 'server'),
    retryable,
  ],
  [
    'api',
    '503 ServiceUnavailable',
    'retry with backoff',
    answer(503, 'ServiceUnavailable'),
    retry('backoff', 'server'),
    retryable,
  ],
  [
    'api',
    '504 from a gateway',
    'retry with backoff',
    answer(504, 'Http504'),
    retry('backoff', 'server'),
    retryable,
  ],
  [
    'api',
    '501',
    'not a failure the reference retries',
    answer(501, 'Http501'),
    fail(false, 'server'),
    transient,
  ],
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
    retry('throttle', 'throttled'),
    retryable,
  ],
  [
    'token',
    '503 ServiceUnavailable',
    'retry with backoff',
    answer(503, 'ServiceUnavailable'),
    retry('backoff', 'server'),
    retryable,
  ],
  [
    'token',
    '501',
    'not a failure the reference retries',
    answer(501, 'Http501'),
    fail(false, 'server'),
    transient,
  ],
  [
    'api',
    'no answer',
    'refused, reset or timed out: like a 5xx',
    { type: 'network' },
    retry('backoff', 'network'),
    retryable,
  ],
  [
    'token',
    'no answer',
    'refused, reset or timed out: like a 5xx',
    { type: 'network' },
    retry('backoff', 'network'),
    retryable,
  ],
  [
    'api',
    'a malformed 2xx body',
    'how PDS answers now: another attempt would read the same',
    { type: 'malformed' },
    fail(false, 'malformed'),
    transient,
  ],
  [
    'token',
    'an unusable private key',
    'found before any request: an operator must fix the key',
    { type: 'key' },
    fail(true, 'key'),
    permanent,
  ],
];

describe('PDS retry classification (one place, by status, and the token codes)', () => {
  it.each(TABLE)('%s %s: %s', (endpoint, _what, _why, failure, decision, verdict) => {
    const d = classifyFailure(failure, endpoint);
    expect(d).toEqual(decision);
    expect(verdictOf(d)).toEqual({ kind: d.kind, ...verdict });
  });
});

/** The error a call ends with on `failure`, as the client's classification makes it. */
const errorOn = (failure: PdsFailure, endpoint: PdsEndpoint = 'api') =>
  new PdsError('test', { path: '/v2/user/get', code: 'Code', ...verdict(failure, endpoint) });

describe('every PDS code the classification lists has a kind the report words', () => {
  it.each(Object.entries(PDS_CODES))(
    '%s (and %s with a resource suffix) is kind %s: a catalog-worded problem and record failure',
    (code, kind) => {
      for (const c of [code, `${code}.User`]) {
        expect(kindOfCode(c)).toBe(kind);
        const err = errorOn(answer(400, c));
        expect(err.kind).toBe(kind);
        expect(isMessageKey(`problem.${problemOf(err).code}`)).toBe(true);
        expect(isMessageKey(`failure.${failureKindOf(err)}`)).toBe(true);
      }
    },
  );

  it.each(PDS_ERROR_KINDS)('kind %s reads as a catalog-worded problem and record failure', (kind) => {
    const err = new PdsError('test', { path: '/p', code: 'C', kind, permanent: false, retryable: false });
    expect(problemOf(err).code).toMatch(/^pds\./);
    expect(isMessageKey(`problem.${problemOf(err).code}`)).toBe(true);
    expect(isMessageKey(`failure.${failureKindOf(err)}`)).toBe(true);
  });

  it('a code the table does not list is named by its status only', () => {
    expect(kindOfCode('SomethingNew')).toBeUndefined();
    expect(errorOn(answer(400, 'SomethingNew')).kind).toBe('other');
    expect(errorOn(answer(403, 'SomethingNew')).kind).toBe('forbidden');
    expect(errorOn(answer(404, 'Http404')).kind).toBe('other');
  });
});

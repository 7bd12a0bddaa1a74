import { describe, expect, it } from '@jest/globals';
import { LocalCode, PdsError } from '../../src/errors/pds-error.js';
import { verdict, type PdsEndpoint, type PdsFailure } from '../../src/pds/classify.js';
import { TOKEN_PATH } from '../../src/pds/key.js';
import { problemOf } from '../../src/report/problem.js';

/** The error a call on `endpoint` ends with on `failure`, as the client's classification makes it. */
const pds = (endpoint: PdsEndpoint, failure: PdsFailure, code: string, httpStatus?: number) =>
  new PdsError('test', {
    path: endpoint === 'token' ? TOKEN_PATH : '/v2/user/list',
    code,
    httpStatus,
    ...verdict(failure, endpoint),
  });
const answer = (status: number, code: string): PdsFailure => ({ type: 'answer', status, code });

describe('a PDS failure is named by the problem an operator must act on', () => {
  it.each([
    [
      'a 429 on the token path is throttling, not bad credentials',
      pds('token', answer(429, 'TooManyRequests'), 'TooManyRequests', 429),
      'pds.throttled',
    ],
    [
      'a 400 on the token path is bad credentials',
      pds('token', answer(400, 'InvalidParameter.Assertion'), 'InvalidParameter.Assertion', 400),
      'pds.credentials',
    ],
    [
      'a 403 on the token path is bad credentials (the app may not sign in)',
      pds('token', answer(403, 'AccessDenied'), 'AccessDenied', 403),
      'pds.credentials',
    ],
    [
      'a 401 anywhere is bad credentials',
      pds('api', answer(401, 'AccessTokenInvalid'), 'AccessTokenInvalid', 401),
      'pds.credentials',
    ],
    [
      'a Forbidden code on an API is a refused permission',
      pds('api', answer(403, 'ForbiddenNoPermission.User'), 'ForbiddenNoPermission.User', 403),
      'pds.forbidden',
    ],
    [
      'a quota code is the quota',
      pds('api', answer(400, 'QuotaExhausted.User'), 'QuotaExhausted.User', 400),
      'pds.quota',
    ],
    [
      'a 503 is the server',
      pds('api', answer(503, 'ServiceUnavailable'), 'ServiceUnavailable', 503),
      'pds.server',
    ],
    ['no answer is the network', pds('api', { type: 'network' }, LocalCode.Network), 'pds.network'],
    [
      'a malformed answer is malformed',
      pds('api', { type: 'malformed' }, LocalCode.Malformed, 200),
      'pds.malformed',
    ],
    [
      'a missing record on a read is PDS’s own answer',
      pds('api', answer(404, 'NotFound.User'), 'NotFound.User', 404),
      'pds.other',
    ],
  ])('%s', (_name, err, expected) => {
    expect(problemOf(err).code).toBe(expected);
  });
});

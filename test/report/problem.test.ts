import { describe, expect, it } from '@jest/globals';
import { LocalCode, PdsError } from '../../src/errors/pds-error.js';
import { TOKEN_PATH } from '../../src/pds/key.js';
import { problemOf } from '../../src/report/problem.js';

const pds = (path: string, code: string, httpStatus: number | undefined) =>
  new PdsError('test', { path, code, httpStatus, permanent: false, retryable: false });

describe('a PDS failure is named by the problem an operator must act on', () => {
  it.each([
    [
      'a 429 on the token path is throttling, not bad credentials',
      TOKEN_PATH,
      'TooManyRequests',
      429,
      'pds.throttled',
    ],
    [
      'a 400 on the token path is bad credentials',
      TOKEN_PATH,
      'InvalidParameter.Assertion',
      400,
      'pds.credentials',
    ],
    [
      'a 403 on the token path is bad credentials (the app may not sign in)',
      TOKEN_PATH,
      'AccessDenied',
      403,
      'pds.credentials',
    ],
    ['a 401 anywhere is bad credentials', '/v2/user/list', 'AccessTokenInvalid', 401, 'pds.credentials'],
    [
      'a Forbidden code on an API is a refused permission',
      '/v2/user/create',
      'ForbiddenNoPermission.User',
      403,
      'pds.forbidden',
    ],
    ['a quota code is the quota', '/v2/user/create', 'QuotaExhausted.User', 400, 'pds.quota'],
    ['a 503 is the server', '/v2/user/list', 'ServiceUnavailable', 503, 'pds.server'],
    ['no answer is the network', '/v2/user/list', LocalCode.Network, undefined, 'pds.network'],
    ['a malformed answer is malformed', '/v2/user/list', LocalCode.Malformed, 200, 'pds.malformed'],
  ])('%s', (_name, path, code, status, expected) => {
    expect(problemOf(pds(path, code, status)).code).toBe(expected);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { isAlreadyExist, isNotFound, PdsError } from '../../src/errors/pds-error.js';
import { verdict } from '../../src/pds/classify.js';
import { readErrorAnswer } from '../../src/pds/parse-error.js';
import { DEFAULT_RETRY, pdsRetryPolicies } from '../../src/pds/retry.js';
import type { PdsFaults } from '../../sim/pds/types.js';
import { closedPort, failureOf, startHarness, type Harness } from '../helpers/pds-harness.js';

const GET = '/v2/user/get';
const CREATE = '/v2/user/create';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.sim.control.seed({ users: [{ user_id: 'exists' }] });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.control.setFaults({ inject: null, gatewayError: null, malformed: null, errorCasing: 'lower' });
  h.sim.control.resetCounters();
});

const inject = (status: number, code: string, count = 1, paths = [GET]) =>
  h.sim.control.setFaults({ inject: { count, paths, status, code } });

const REQUEST_ID = /^[0-9A-F-]{36}$/;

interface Row {
  readonly setup: () => void;
  readonly call: 'get' | 'get-missing' | 'create-bad' | 'create-dup';
  /** Expected outcome: an error with these fields, or success. */
  readonly expect: { status: number; code: string; permanent: boolean; retryable: boolean } | 'ok';
  /** Requests the simulator saw on the path. */
  readonly calls: number;
  readonly predicate?: (e: unknown) => boolean;
}

// FAST_RETRY: maxAttempts 3.
const table: [string, Row][] = [
  [
    '400 InvalidParameter (a real rule: user_id with "#") is not retried',
    {
      setup: () => undefined,
      call: 'create-bad',
      expect: { status: 400, code: 'InvalidParameter', permanent: false, retryable: false },
      calls: 1,
    },
  ],
  [
    '400 QuotaExhausted is typed and not retried',
    {
      setup: () => inject(400, 'QuotaExhausted'),
      call: 'get',
      expect: { status: 400, code: 'QuotaExhausted', permanent: false, retryable: false },
      calls: 1,
    },
  ],
  [
    '400 NotEmpty is typed and not retried',
    {
      setup: () => inject(400, 'NotEmpty'),
      call: 'get',
      expect: { status: 400, code: 'NotEmpty', permanent: false, retryable: false },
      calls: 1,
    },
  ],
  [
    '401 renews the token once, then is permanent (bad credentials)',
    {
      setup: () => inject(401, 'AccessTokenInvalid', 9),
      call: 'get',
      expect: { status: 401, code: 'AccessTokenInvalid', permanent: true, retryable: false },
      calls: 2,
    },
  ],
  [
    '403 Forbidden is permanent and not retried',
    {
      setup: () => inject(403, 'Forbidden', 9),
      call: 'get',
      expect: { status: 403, code: 'Forbidden', permanent: true, retryable: false },
      calls: 1,
    },
  ],
  [
    '403 ForbiddenNoPermission.User is permanent and not retried',
    {
      setup: () => inject(403, 'ForbiddenNoPermission.User', 9),
      call: 'get',
      expect: { status: 403, code: 'ForbiddenNoPermission.User', permanent: true, retryable: false },
      calls: 1,
    },
  ],
  [
    '404 NotFound.User (a real unknown id) is typed and not retried',
    {
      setup: () => undefined,
      call: 'get-missing',
      expect: { status: 404, code: 'NotFound.User', permanent: false, retryable: false },
      calls: 1,
      predicate: isNotFound,
    },
  ],
  [
    '409 AlreadyExist.User (a real duplicate) is typed and not retried',
    {
      setup: () => undefined,
      call: 'create-dup',
      expect: { status: 409, code: 'AlreadyExist.User', permanent: false, retryable: false },
      calls: 1,
      predicate: isAlreadyExist,
    },
  ],
  [
    '429 is retried and the call succeeds',
    { setup: () => inject(429, 'Throttling', 2), call: 'get', expect: 'ok', calls: 3 },
  ],
  [
    '429 on every attempt gives up after maxAttempts with a retryable, non-permanent error',
    {
      setup: () => inject(429, 'Throttling', 9),
      call: 'get',
      expect: { status: 429, code: 'Throttling', permanent: false, retryable: true },
      calls: 3,
    },
  ],
  [
    '500 InternalError is retried and the call succeeds',
    { setup: () => inject(500, 'InternalError', 2), call: 'get', expect: 'ok', calls: 3 },
  ],
  [
    '503 ServiceUnavailable is retried and the call succeeds',
    { setup: () => inject(503, 'ServiceUnavailable', 2), call: 'get', expect: 'ok', calls: 3 },
  ],
  [
    '500 on every attempt gives up after maxAttempts',
    {
      setup: () => inject(500, 'InternalError', 9),
      call: 'get',
      expect: { status: 500, code: 'InternalError', permanent: false, retryable: true },
      calls: 3,
    },
  ],
  [
    'the Code/Message/RequestId casing is parsed like code/message/request_id',
    {
      setup: () => {
        h.sim.control.setFaults({ errorCasing: 'pascal' });
        inject(403, 'Forbidden');
      },
      call: 'get',
      expect: { status: 403, code: 'Forbidden', permanent: true, retryable: false },
      calls: 1,
    },
  ],
  [
    'the Code casing with a resource suffix still matches by prefix',
    {
      setup: () => h.sim.control.setFaults({ errorCasing: 'pascal' }),
      call: 'get-missing',
      expect: { status: 404, code: 'NotFound.User', permanent: false, retryable: false },
      calls: 1,
      predicate: isNotFound,
    },
  ],
  [
    'a header-only gateway error (no body, x-ca-error-*) is typed from the headers and not retried when 4xx',
    {
      setup: () =>
        gateway({ count: 9, paths: [GET], status: 400, code: 'InvalidParameter.Gateway', message: 'bad' }),
      call: 'get',
      expect: { status: 400, code: 'InvalidParameter.Gateway', permanent: false, retryable: false },
      calls: 1,
    },
  ],
  [
    'a header-only gateway 503 is retried and the call succeeds',
    {
      setup: () =>
        gateway({ count: 2, paths: [GET], status: 503, code: 'ServiceUnavailable', message: 'busy' }),
      call: 'get',
      expect: 'ok',
      calls: 3,
    },
  ],
];

function gateway(g: NonNullable<PdsFaults['gatewayError']>): void {
  h.sim.control.setFaults({ gatewayError: g });
}

describe('PDS client: every documented error maps to a typed PdsError, retried only when it should be', () => {
  it.each(table)('%s', async (_name, row) => {
    const client = h.client();
    row.setup();
    const path = row.call.startsWith('create') ? CREATE : GET;
    const run = () => {
      switch (row.call) {
        case 'get':
          return client.getUser('exists');
        case 'get-missing':
          return client.getUser('nobody');
        case 'create-bad':
          return client.createUser({ user_id: 'a#b' });
        case 'create-dup':
          return client.createUser({ user_id: 'exists' });
      }
    };
    if (row.expect === 'ok') {
      await expect(run()).resolves.toMatchObject({ user_id: 'exists' });
    } else {
      const err = await failureOf(run());
      expect(err).toBeInstanceOf(PdsError);
      expect(err).toMatchObject({
        service: 'pds',
        path,
        httpStatus: row.expect.status,
        code: row.expect.code,
        permanent: row.expect.permanent,
        retryable: row.expect.retryable,
      });
      expect((err as PdsError).requestId).toMatch(REQUEST_ID);
      if (row.predicate !== undefined) expect(row.predicate(err)).toBe(true);
    }
    expect(h.sim.control.counters().calls[path]).toBe(row.calls);
  });

  it('a malformed 200 body is a typed MalformedResponse error naming the path, not retried', async () => {
    const client = h.client();
    h.sim.control.setFaults({ malformed: { count: 1, paths: [GET] } });
    const err = await failureOf(client.getUser('exists'));
    expect(err).toMatchObject({
      code: 'MalformedResponse',
      path: GET,
      httpStatus: 200,
      permanent: false,
      retryable: false,
    });
    expect((err as Error).message).toContain(`PDS ${GET} answered 200 with a malformed body`);
    expect(h.sim.control.counters().calls[GET]).toBe(1);
  });

  it('a network error (closed port) is retried up to maxAttempts, then a typed NetworkError', async () => {
    const port = await closedPort();
    const client = h.client({ pds: { baseUrl: `http://127.0.0.1:${port}` } });
    const err = await failureOf(client.getUser('exists'));
    expect(err).toMatchObject({
      code: 'NetworkError',
      path: '/v2/oauth/token',
      retryable: true,
      permanent: false,
    });
    expect((err as Error).message).toContain('ECONNREFUSED');
    expect(client.stats.calls()).toEqual({ '/v2/oauth/token': 3 });
  });
});

describe('PDS error predicates and parsing', () => {
  const res = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    body,
    headers,
  });
  /** The error of a call that ended on this answer, as the client's classification makes it. */
  const failedCall = (r: ReturnType<typeof res>) => {
    const a = readErrorAnswer('/p', r);
    return new PdsError(a.message, {
      ...a,
      path: '/p',
      httpStatus: r.status,
      ...verdict({ type: 'answer', status: r.status, code: a.code }),
    });
  };

  it.each([
    ['AlreadyExist', true, false],
    ['AlreadyExist.User', true, false],
    ['AlreadyExist.Account', true, false],
    ['AlreadyExists', false, false],
    ['NotFound', false, true],
    ['NotFound.User', false, true],
    ['NotFoundUser', false, false],
    ['InvalidParameter', false, false],
  ])(
    'apply reads a conflict and a missing record by one rule: %s is AlreadyExist %s, NotFound %s',
    (code, conflict, missing) => {
      const e = failedCall(res(400, JSON.stringify({ code, message: 'm' })));
      expect(isAlreadyExist(e)).toBe(conflict);
      expect(isNotFound(e)).toBe(missing);
    },
  );

  it('a DingTalk error is never a PDS conflict or a missing PDS record', () => {
    const e = new DingTalkError('m', {
      kind: 'not_found',
      path: '/p',
      code: 'NotFound',
      permanent: false,
      retryable: false,
    });
    expect(isNotFound(e)).toBe(false);
    expect(isAlreadyExist(new Error('AlreadyExist'))).toBe(false);
  });

  it('a bare 404 with no NotFound code is not "not found" (a wrong base URL must not look like a missing user)', () => {
    expect(isNotFound(failedCall(res(404, '<html>nginx</html>')))).toBe(false);
  });

  it('a body-less answer without x-ca headers gets an Http<status> code', () => {
    expect(readErrorAnswer('/p', res(502, ''))).toMatchObject({ code: 'Http502' });
  });

  it('body fields win over headers; headers fill what the body lacks', () => {
    const e = readErrorAnswer('/p', res(400, '{"Code":"InvalidParameter"}', { 'x-ca-request-id': 'RID' }));
    expect(e).toMatchObject({ code: 'InvalidParameter', requestId: 'RID' });
  });

  it('a JWT echoed in a remote message never reaches the error message', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const e = readErrorAnswer(
      '/p',
      res(400, JSON.stringify({ code: 'InvalidParameter', message: `bad ${jwt}` })),
    );
    expect(e.message).not.toContain(jwt);
  });

  it('429 waits 1–4 s (as the official JS SDK); 5xx back off with a growing, capped, jittered pause', () => {
    const low = pdsRetryPolicies(DEFAULT_RETRY, () => 0);
    const high = pdsRetryPolicies(DEFAULT_RETRY, () => 0.999999);
    expect(low.throttle.delayMs(1)).toBe(1000);
    expect(high.throttle.delayMs(4)).toBe(4000);
    expect(low.backoff.delayMs(1)).toBe(250);
    expect(high.backoff.delayMs(2)).toBe(1000);
    expect(high.backoff.delayMs(10)).toBe(8000);
    // one count of tries per call: a 429 and a 5xx draw on the same maxAttempts
    expect(low.throttle.budget).toBe(low.backoff.budget);
  });
});

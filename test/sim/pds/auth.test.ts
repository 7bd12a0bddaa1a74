import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairPem, startPdsSimulator } from '../../../sim/pds/index.js';
import type { PdsSimulator } from '../../../sim/pds/types.js';
import {
  control,
  JWT_BEARER,
  keys,
  post,
  signAssertion,
  tokenRequest,
  type AssertionClaims,
} from '../../helpers/pds-sim-raw.js';

let sim: PdsSimulator;
let clock = Date.now();
const now = () => clock;

beforeAll(async () => {
  sim = await startPdsSimulator({
    publicKey: keys.publicKeyPem,
    domainId: 'authsim',
    clientId: 'app-1',
    tokenTtlSeconds: 600,
    now,
  });
  sim.control.seed({ users: [{ user_id: 'u1' }] });
});
afterAll(() => sim.close());

const request = async (
  claims: AssertionClaims = {},
  privateKeyPem = keys.privateKeyPem,
  clientId = sim.clientId,
) =>
  tokenRequest(sim.url, {
    client_id: clientId,
    grant_type: JWT_BEARER,
    assertion: await signAssertion(sim, claims, privateKeyPem, clock),
  });

const token = async () => (await request()).body.access_token as string;

describe('PDS simulator: JWT application tokens', () => {
  it('a valid service assertion gets a token answer as the reference shows it', async () => {
    const a = await request();
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 600,
      expire_time: new Date(clock + 600_000).toISOString(),
      token_type: 'Bearer',
      domain_id: 'authsim',
      role: 'superadmin',
      status: 'enabled',
    });
  });

  const rejections: [
    string,
    () => Promise<{ status: number; body: Record<string, unknown> }>,
    number,
    string,
  ][] = [
    [
      'a signature by a key that is not registered',
      () => request({}, generateKeyPairPem().privateKeyPem),
      401,
      'InvalidParameter.Assertion',
    ],
    ['a wrong aud', () => request({ aud: 'other-domain' }), 401, 'InvalidParameter.Assertion'],
    ['a wrong iss', () => request({ iss: 'other-app' }), 401, 'InvalidParameter.Assertion'],
    ['a wrong sub', () => request({ sub: 'other-domain' }), 401, 'InvalidParameter.Assertion'],
    [
      'an expired assertion',
      () => request({ iat: Math.floor(clock / 1000) - 900, exp: Math.floor(clock / 1000) - 600 }),
      401,
      'InvalidParameter.Assertion',
    ],
    ['sub_type other than service', () => request({ sub_type: 'user' }), 401, 'InvalidParameter.Assertion'],
    [
      'an unknown client_id',
      () => request({}, keys.privateKeyPem, 'unknown-app'),
      401,
      'InvalidParameter.ClientId',
    ],
    [
      'a replayed jti',
      async () => {
        await request({ jti: 'same-jti' });
        return request({ jti: 'same-jti' });
      },
      401,
      'InvalidParameter.Assertion',
    ],
    [
      'a missing assertion',
      () => tokenRequest(sim.url, { client_id: sim.clientId, grant_type: JWT_BEARER }),
      400,
      'InvalidParameterMissing',
    ],
    [
      'another grant_type',
      () =>
        tokenRequest(sim.url, { client_id: sim.clientId, grant_type: 'client_credentials', assertion: 'x' }),
      400,
      'InvalidParameter.GrantType',
    ],
    [
      'an assertion that is not a JWT',
      () =>
        tokenRequest(sim.url, { client_id: sim.clientId, grant_type: JWT_BEARER, assertion: 'not.a.jwt' }),
      401,
      'InvalidParameter.Assertion',
    ],
  ];

  it.each(rejections)('rejects %s', async (_name, send, status, code) => {
    const a = await send();
    expect(a.status).toBe(status);
    expect(a.body).toMatchObject({ code, message: expect.any(String), request_id: expect.any(String) });
  });

  it('an API call without a token, or with an unknown one, is 401 AccessTokenInvalid', async () => {
    for (const t of [undefined, 'garbage']) {
      const a = await post(sim.url, '/v2/user/get', { user_id: 'u1' }, t);
      expect(a.status).toBe(401);
      expect(a.body.code).toBe('AccessTokenInvalid');
    }
  });

  it('an access token stops working after expires_in', async () => {
    const t = await token();
    expect((await post(sim.url, '/v2/user/get', { user_id: 'u1' }, t)).status).toBe(200);
    clock += 600_000;
    const a = await post(sim.url, '/v2/user/get', { user_id: 'u1' }, t);
    expect(a.status).toBe(401);
    expect(a.body.code).toBe('AccessTokenInvalid');
  });

  it('"expire all tokens now" invalidates every issued token; a new one works', async () => {
    const t = await token();
    expect((await control(sim.url, 'POST', '/_sim/faults', { expireTokens: true })).status).toBe(200);
    expect((await post(sim.url, '/v2/user/get', { user_id: 'u1' }, t)).status).toBe(401);
    expect((await post(sim.url, '/v2/user/get', { user_id: 'u1' }, await token())).status).toBe(200);
  });

  it('the token call is counted as a call, never as a write', async () => {
    sim.control.resetCounters();
    await token();
    const c = sim.control.counters();
    expect(c.calls['/v2/oauth/token']).toBe(1);
    expect(c.writes).toEqual({});
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { PdsError } from '../../src/errors/pds-error.js';
import { PdsKeyError } from '../../src/errors/pds-key-error.js';
import { REJECTED_HINT } from '../../src/pds/classify.js';
import { CLOCK_MARGIN_SECONDS } from '../../src/pds/clock.js';
import { generateKeyPairPem } from '../../sim/pds/index.js';
import { tempDir } from '../helpers/files.js';
import { failureOf, startHarness, type Harness } from '../helpers/pds-harness.js';

const TOKEN = '/v2/oauth/token';
let h: Harness;
/** One fake clock shared by the simulator and the clients: token lifetimes without waiting. */
let clock = Date.now();
const now = () => clock;
const tmp = tempDir('dtsync-pds-keys-');

beforeAll(async () => {
  h = await startHarness({ tokenTtlSeconds: 3600, now });
  h.sim.control.seed({ users: [{ user_id: 'u1' }] });
});
afterAll(async () => {
  await h.close();
  tmp.cleanup();
});
beforeEach(() => {
  h.sim.control.resetCounters();
  h.sim.control.setFaults({ inject: null });
});

const tokenCalls = () => h.sim.control.counters().calls[TOKEN] ?? 0;

describe('PDS client authentication (JWT application service token)', () => {
  it('posts an RS256 assertion with the documented claims, form-encoded, and reports role and domain_id', async () => {
    const client = h.client({ now });
    const report = await client.checkCredentials();
    expect(report).toMatchObject({ role: 'superadmin', domainId: h.sim.domainId, expiresIn: 3600 });
    const assertion = h.sim.control.secretsSeen().assertions.at(-1)!;
    expect(decodeProtectedHeader(assertion).alg).toBe('RS256');
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({
      iss: h.sim.clientId,
      sub: h.sim.domainId,
      sub_type: 'service',
      aud: h.sim.domainId,
      auto_create: false,
    });
    expect(typeof claims.jti).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(300);
    // set back by the clock margin, so a clock a little ahead still signs a valid assertion
    expect(claims.iat).toBe(Math.floor(clock / 1000) - CLOCK_MARGIN_SECONDS);
  });

  it('caches the token in memory: many calls, one token request', async () => {
    const client = h.client({ now });
    await Promise.all(Array.from({ length: 8 }, () => client.getUser('u1')));
    await client.getUser('u1');
    expect(tokenCalls()).toBe(1);
    expect(client.stats.calls()).toEqual({ [TOKEN]: 1, '/v2/user/get': 9 });
  });

  it('renews the token before expires_in runs out, without a 401', async () => {
    const client = h.client({ now });
    await client.getUser('u1');
    clock += 3400 * 1000; // past the renewal point (expires_in − 300 s), before expiry
    await client.getUser('u1');
    expect(tokenCalls()).toBe(2);
    expect(h.sim.control.counters().byStatus['/v2/user/get']).toEqual({ '200': 2 });
  });

  it('fetches a new token once the old one has expired, before calling (no 401)', async () => {
    const client = h.client({ now });
    await client.getUser('u1');
    clock += 3700 * 1000; // past expires_in on both clocks
    await client.getUser('u1');
    expect(tokenCalls()).toBe(2);
    expect(h.sim.control.counters().byStatus['/v2/user/get']).toEqual({ '200': 2 });
  });

  it('renews once on a 401 TokenExpired and the call then succeeds', async () => {
    const client = h.client({ now });
    await client.getUser('u1');
    h.sim.control.setFaults({
      inject: { count: 1, paths: ['/v2/user/get'], status: 401, code: 'TokenExpired' },
    });
    await expect(client.getUser('u1')).resolves.toMatchObject({ user_id: 'u1' });
    expect(h.sim.control.counters().byStatus['/v2/user/get']).toEqual({ '200': 2, '401': 1 });
    expect(tokenCalls()).toBe(2);
  });

  it('renews once after the simulator expires every token mid-run (POST /_sim/faults expireTokens)', async () => {
    const client = h.client({ now });
    await client.getUser('u1');
    const r = await fetch(`${h.sim.url}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ expireTokens: true }),
    });
    expect(r.status).toBe(200);
    await client.getUser('u1');
    expect(h.sim.control.counters().byStatus['/v2/user/get']).toEqual({ '200': 2, '401': 1 });
    expect(tokenCalls()).toBe(2);
  });

  it('the token request is retried by the same loop as every call: a 503 and a 429, then a token', async () => {
    const client = h.client({ now });
    h.sim.control.setFaults({
      inject: { count: 1, paths: [TOKEN], status: 503, code: 'ServiceUnavailable' },
    });
    await expect(client.getUser('u1')).resolves.toMatchObject({ user_id: 'u1' });
    expect(h.sim.control.counters().byStatus[TOKEN]).toEqual({ '503': 1, '200': 1 });
    h.sim.control.resetCounters();
    h.sim.control.setFaults({ inject: { count: 1, paths: [TOKEN], status: 429, code: 'Throttling' } });
    await expect(client.checkCredentials()).resolves.toMatchObject({ role: 'superadmin' });
    expect(h.sim.control.counters().byStatus[TOKEN]).toEqual({ '429': 1, '200': 1 });
  });

  it('a token request that keeps failing with 503 gives up after maxAttempts: retryable, not permanent', async () => {
    const client = h.client({ now });
    h.sim.control.setFaults({
      inject: { count: 9, paths: [TOKEN], status: 503, code: 'ServiceUnavailable' },
    });
    const err = await failureOf(client.getUser('u1'));
    expect(err).toMatchObject({
      path: TOKEN,
      httpStatus: 503,
      code: 'ServiceUnavailable',
      retryable: true,
      permanent: false,
    });
    expect(tokenCalls()).toBe(3);
  });

  it('a second 401 after a fresh token is a permanent error (bad credentials), not a loop', async () => {
    const client = h.client({ now });
    h.sim.control.setFaults({
      inject: { count: 5, paths: ['/v2/user/get'], status: 401, code: 'AccessTokenInvalid' },
    });
    const err = await failureOf(client.getUser('u1'));
    expect(err).toBeInstanceOf(PdsError);
    expect(err).toMatchObject({
      httpStatus: 401,
      code: 'AccessTokenInvalid',
      permanent: true,
      path: '/v2/user/get',
    });
    expect(h.sim.control.counters().calls['/v2/user/get']).toBe(2);
    expect(tokenCalls()).toBe(2);
  });
});

describe('PDS client: local key problems are said precisely, naming the file, never the content', () => {
  const cases: [string, () => Record<string, unknown>, string, RegExp][] = [
    [
      'a missing key file',
      () => ({ privateKey: undefined, privateKeyFile: `${tmp.dir}/nope.pem` }),
      'KeyFileMissing',
      /PDS private key file .*nope\.pem does not exist/,
    ],
    [
      'a key file that is not PEM',
      () => ({
        privateKey: undefined,
        privateKeyFile: tmp.write('garbage.pem', 'this is not a key at all\n'),
      }),
      'KeyNotPem',
      /PDS private key file .*garbage\.pem is not a PEM file/,
    ],
    [
      'a key file holding the public half',
      () => ({ privateKey: undefined, privateKeyFile: tmp.write('public.pem', h.publicKeyPem) }),
      'KeyNotPrivate',
      /PDS private key file .*public\.pem holds a public key, not a private key/,
    ],
    [
      'a key file holding a non-RSA key',
      () => {
        const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        });
        return { privateKey: undefined, privateKeyFile: tmp.write('ec.pem', ec.toString()) };
      },
      'KeyNotRsa',
      /PDS private key file .*ec\.pem holds an ec key, not an RSA key/,
    ],
    [
      'an inline key that is not PEM',
      () => ({ privateKey: 'not-a-pem-value' }),
      'KeyNotPem',
      /PDS private key \(pds\.privateKey\) is not a PEM file/,
    ],
  ];

  it.each(cases)(
    '%s is a permanent PdsKeyError and no request is sent',
    async (_name, pds, code, message) => {
      const settings = pds();
      const client = h.client({ now, pds: settings });
      const err = await failureOf(client.getUser('u1'));
      expect(err).toBeInstanceOf(PdsKeyError);
      expect(err).toMatchObject({ code, permanent: true, service: 'pds' });
      expect((err as Error).message).toMatch(message);
      expect(tokenCalls()).toBe(0);
      const file = settings.privateKeyFile;
      if (typeof file === 'string') {
        const content = existsSync(file) ? (readFileSync(file, 'utf8').split('\n')[1] ?? '') : '';
        if (content.length > 10)
          expect(`${(err as Error).message}\n${(err as Error).stack}`).not.toContain(content);
      }
    },
  );

  it('reads a PKCS#8 key file', async () => {
    const file = tmp.write('good.pem', h.privateKeyPem);
    const client = h.client({ now, pds: { privateKey: undefined, privateKeyFile: file } });
    await expect(client.getUser('u1')).resolves.toMatchObject({ user_id: 'u1' });
  });
});

describe('PDS client: a rejection by the server names the remote code and the likely cause', () => {
  it('an unknown clientId', async () => {
    const client = h.client({ now, pds: { clientId: 'someone-else' } });
    const err = await failureOf(client.getUser('u1'));
    expect(err).toBeInstanceOf(PdsError);
    expect(err).toMatchObject({
      httpStatus: 401,
      code: 'InvalidParameter.ClientId',
      permanent: true,
      path: TOKEN,
    });
    expect((err as Error).message).toContain('InvalidParameter.ClientId');
    expect((err as Error).message).toContain(REJECTED_HINT);
    expect(h.sim.control.counters().calls['/v2/user/get']).toBeUndefined();
  });

  it('a key whose public half is not registered', async () => {
    const other = generateKeyPairPem();
    const client = h.client({ now, pds: { privateKey: other.privateKeyPem } });
    const err = await failureOf(client.checkCredentials());
    expect(err).toMatchObject({ httpStatus: 401, code: 'InvalidParameter.Assertion', permanent: true });
    expect((err as Error).message).toContain(
      "clientId unknown, or this key's public half is not registered for the JWT application",
    );
    expect(tokenCalls()).toBe(1); // a rejection is not retried
  });
});

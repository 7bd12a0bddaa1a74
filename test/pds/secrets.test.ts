import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairPem } from '../../sim/pds/index.js';
import { closedPort, failureOf, startHarness, type Harness } from '../helpers/pds-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.sim.control.seed({ users: [{ user_id: 'u1' }] });
});
afterAll(() => h.close());

/** Distinctive pieces of a PEM: every full base64 line of its body. */
const pemLines = (pem: string) => pem.split('\n').filter((l) => l.length >= 60 && !l.startsWith('-----'));

describe('PDS client: no secret in any log line, error message or stack', () => {
  it('after real 401, 403, 500, rejected-key and network failures, neither the private key, the assertion nor the access token appears', async () => {
    const errors: unknown[] = [];
    const client = h.client();
    await client.getUser('u1'); // a good call first: a token exists and is in use

    h.sim.control.setFaults({
      inject: { count: 9, paths: ['/v2/user/get'], status: 401, code: 'AccessTokenInvalid' },
    });
    errors.push(await failureOf(client.getUser('u1')));
    h.sim.control.setFaults({
      inject: { count: 9, paths: ['/v2/user/get'], status: 403, code: 'Forbidden' },
    });
    errors.push(await failureOf(client.getUser('u1')));
    h.sim.control.setFaults({
      inject: { count: 9, paths: ['/v2/user/update'], status: 500, code: 'InternalError' },
    });
    errors.push(await failureOf(client.updateUser({ user_id: 'u1', nick_name: 'n' })));
    h.sim.control.setFaults({ inject: null });

    const stranger = generateKeyPairPem();
    errors.push(await failureOf(h.client({ pds: { privateKey: stranger.privateKeyPem } }).getUser('u1')));
    const port = await closedPort();
    errors.push(await failureOf(h.client({ pds: { baseUrl: `http://127.0.0.1:${port}` } }).getUser('u1')));

    const { assertions, accessTokens } = h.sim.control.secretsSeen();
    expect(assertions.length).toBeGreaterThanOrEqual(3);
    expect(accessTokens.length).toBeGreaterThanOrEqual(2);
    const secrets = [
      ...pemLines(h.privateKeyPem),
      ...pemLines(stranger.privateKeyPem),
      ...assertions,
      ...accessTokens,
    ];

    const logText = h.logs.text;
    expect(logText).toContain('"path":"/v2/user/get"'); // the debug lines were captured
    expect(logText).toContain('"status":403');
    const errorText = errors
      .map((e) => {
        const err = e as Error;
        return [err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 5 })].join('\n');
      })
      .join('\n');
    expect(errors.map((e) => (e as { httpStatus?: number }).httpStatus)).toEqual([
      401,
      403,
      500,
      401,
      undefined,
    ]);
    for (const secret of secrets) {
      expect(logText).not.toContain(secret);
      expect(errorText).not.toContain(secret);
    }
    expect(logText.toLowerCase()).not.toContain('bearer');
    expect(errorText.toLowerCase()).not.toContain('bearer');
    // got's error objects (options, headers, URL) never escape.
    for (const e of errors) {
      expect(Object.keys(e as object)).not.toEqual(expect.arrayContaining(['options']));
      expect((e as { cause?: unknown }).cause).toBeUndefined();
    }
  });
});

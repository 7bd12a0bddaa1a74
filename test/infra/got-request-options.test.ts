import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { describe, expect, it } from '@jest/globals';
import { Options, type OptionsInit } from 'got';
import { buildNativeRequestOptions, gotOwnBuilder } from '../../src/infra/got-request-options.js';
import { httpClient } from '../../src/infra/http.js';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

const cases: ReadonlyArray<readonly [string, string, OptionsInit]> = [
  [
    'a plain HTTP POST with a bearer and JSON',
    'http://127.0.0.1:9/v2/user/create',
    { method: 'POST', json: { user_id: 'u1' }, agent: agents, headers: { authorization: 'Bearer t' } },
  ],
  [
    'a TLS call with its own CA, server name and minimum version',
    'https://api.example.com/topapi/v2/user/list',
    {
      method: 'POST',
      agent: agents,
      https: {
        certificateAuthority: 'CA PEM',
        serverName: 'api.example.com',
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
      },
    },
  ],
  [
    'a call over a unix socket',
    'http://unix:/var/run/dtsync.sock:/v2/user/get',
    { enableUnixSockets: true, method: 'POST', form: { a: '1' } },
  ],
  ['a call through the DNS cache', 'http://pds.example.com/v2/user/get', { dnsCache: true }],
  [
    'a call with cache options set',
    'http://pds.example.com/v2/user/get',
    { cacheOptions: { shared: false, cacheHeuristic: 0.5 }, localAddress: '127.0.0.1' },
  ],
  ['an HTTP/2 call (delegated to got)', 'https://api.example.com/x', { http2: true }],
];

describe("got's request options", () => {
  it.each(cases)('the fast builder answers what got answers for %s', (_name, url, init) => {
    const options = new Options(url, init);
    const ours = buildNativeRequestOptions.call(options);
    const theirs = gotOwnBuilder.call(options);
    expect(ours).toStrictEqual(theirs);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
  });

  it('every request of the remote clients is built by the fast builder', () => {
    httpClient(1000);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, not called
    expect(Options.prototype.createNativeRequestOptions).toBe(buildNativeRequestOptions);
  });
});

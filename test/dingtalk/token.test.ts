import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { TokenCache } from '../../src/dingtalk/token.js';
import { clientFor, rejectionOf, startSimAndClient, type SimAndClient } from '../helpers/dingtalk-harness.js';

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function setup(...args: Parameters<typeof startSimAndClient>): Promise<SimAndClient> {
  const s = await startSimAndClient(...args);
  open.push(s);
  return s;
}

describe('access token', () => {
  it('is fetched once per app and reused by every call and every client sharing the cache', async () => {
    const cache = new TokenCache();
    const { sim, client } = await setup({}, { tokenCache: cache });
    const other = clientFor(sim, { tokenCache: cache }).client;
    await Promise.all([client.authScopes(), client.countUsers(), other.countUsers(), other.getDepartment(1)]);
    expect(sim.control.counters().calls['/gettoken']).toBe(1);
  });

  it('is refreshed about 10 minutes before expires_in, not before', async () => {
    let now = 1_000_000;
    const { sim, client } = await setup({}, { now: () => now });
    await client.countUsers();
    now += (7200 - 601) * 1000;
    await client.countUsers();
    expect(sim.control.counters().calls['/gettoken']).toBe(1);
    now += 2000;
    await client.countUsers();
    expect(sim.control.counters().calls['/gettoken']).toBe(2);
  });

  it.each(['plain', 'sub_code'] as const)(
    'an expired token (%s form: 42001 or 88+40014) is refreshed once and the call retried',
    async (form) => {
      const { sim, client } = await setup({ faults: { tokenErrorForm: form } });
      await client.countUsers();
      sim.control.setFaults({ expireTokensNow: true });
      await expect(client.countUsers()).resolves.toBeGreaterThan(0);
      const c = sim.control.counters().calls;
      expect(c['/gettoken']).toBe(2);
      expect(c['/topapi/user/count']).toBe(3);
    },
  );

  it('a token refused again after one refresh fails instead of looping', async () => {
    const fake = await oapiStub((path) =>
      path === '/gettoken'
        ? { errcode: 0, access_token: 'tok', errmsg: 'ok', expires_in: 7200 }
        : { errcode: 40014, errmsg: '不合法的access_token' },
    );
    const { client } = clientFor({ url: fake.url, appKey: 'k', appSecret: 's' });
    const err = (await rejectionOf(client.countUsers())) as DingTalkError;
    expect(err).toBeInstanceOf(DingTalkError);
    expect(err.kind).toBe('token');
    expect(fake.hits).toEqual(['/gettoken', '/topapi/user/count', '/gettoken', '/topapi/user/count']);
  });

  it.each(['legacy', 'v1'] as const)(
    'bad credentials (%s token API) say the appKey/appSecret do not match a DingTalk app, and are not retried',
    async (tokenApi) => {
      const { sim, client } = await setup({}, { dingtalk: { appSecret: 'wrong-secret', tokenApi } });
      const err = (await rejectionOf(client.authScopes())) as DingTalkError;
      expect(err).toBeInstanceOf(DingTalkError);
      expect(err.kind).toBe('credentials');
      expect(err.permanent).toBe(true);
      expect(err.message).toMatch(/appKey\/appSecret do not match a DingTalk app/);
      expect(err.code).toBe(tokenApi === 'legacy' ? '40089' : 'invalidClientIdOrSecret');
      const path = tokenApi === 'legacy' ? '/gettoken' : '/v1.0/oauth2/accessToken';
      expect(err.path).toBe(path);
      expect(sim.control.counters().calls[path]).toBe(1);
      expect(sim.control.counters().calls['/auth/scopes']).toBeUndefined();
    },
  );

  it('the v1.0 token API (POST JSON appKey/appSecret) gives a token the oapi calls accept', async () => {
    const { sim, client } = await setup({}, { dingtalk: { tokenApi: 'v1' } });
    await expect(client.authScopes()).resolves.toMatchObject({ authedDepartments: [1] });
    expect(sim.control.counters().calls).toMatchObject({ '/v1.0/oauth2/accessToken': 1, '/auth/scopes': 1 });
  });
});

/** A loopback oapi stub answering by path, recording the paths hit. */
async function oapiStub(answer: (path: string) => unknown): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(path);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(path)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

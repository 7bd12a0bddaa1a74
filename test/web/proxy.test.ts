import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

const PUBLIC = 'https://dtsync.example.com';
const METRICS_TOKEN = 'prom-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c';

let env: SimEnv;
const webs = new Map<string, WebUnderTest>();
const cleanups: (() => void)[] = [];

/** The web: sections under test, each its own app on the same Redis. */
const SETUPS = {
  both: { trustProxy: ['127.0.0.1'], publicUrl: PUBLIC },
  publicUrlOnly: { publicUrl: PUBLIC },
  trustProxyOnly: { trustProxy: ['127.0.0.1'], allowedHosts: ['dtsync.example.com'] },
  neither: { allowedHosts: ['dtsync.example.com'] },
  otherProxy: { trustProxy: ['10.9.9.9'], allowedHosts: ['dtsync.example.com'] },
  bare: {},
  open: { auth: 'none' },
} as const;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 6, users: 5, departments: 1 } }, name: 'web-proxy' });
  process.env.TEST_METRICS_TOKEN = METRICS_TOKEN;
  for (const [name, web] of Object.entries(SETUPS)) {
    const cfg = writeServiceConfig(env, {
      web: { ...WEB_SECTION, metricsToken: '${TEST_METRICS_TOKEN}', ...web },
    });
    cleanups.push(cfg.cleanup);
    webs.set(name, await startWebHere(env, cfg.path));
  }
});

afterAll(async () => {
  for (const w of webs.values()) await w.close();
  for (const f of cleanups) f();
  delete process.env.TEST_METRICS_TOKEN;
  await env?.close();
});

const app = (name: keyof typeof SETUPS) => {
  const w = webs.get(name);
  if (w === undefined) throw new Error(`no app ${name}`);
  return w.app;
};

/** A request as nginx forwards it (docs/deployment.md): from 127.0.0.1, the public name kept. */
const viaProxy = {
  host: 'dtsync.example.com',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'dtsync.example.com',
  'x-forwarded-for': '203.0.113.9',
};

/** A logged-in browser page's session: its cookies and CSRF token, as the page reads them. */
async function session(name: keyof typeof SETUPS, headers: Record<string, string>) {
  const page = await app(name).inject({
    method: 'GET',
    url: '/',
    headers: { ...headers, authorization: basic() },
  });
  expect(page.statusCode).toBe(200);
  const cookies = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const token = page.cookies.find((c) => c.name === 'XSRF-TOKEN')?.value ?? '';
  return { ...headers, authorization: basic(), cookie: cookies, 'x-csrf-token': token };
}

/** 立即同步, 配置检测, 批准 and 拒绝, posted by the console page at `origin`. */
async function actions(name: keyof typeof SETUPS, headers: Record<string, string>, origin: string) {
  const s = await session(name, headers);
  const post = async (url: string) =>
    (await app(name).inject({ method: 'POST', url, headers: { ...s, origin }, payload: {} })).statusCode;
  return {
    sync: await post('/api/profiles/acme/sync'),
    check: await post('/api/profiles/acme/check'),
    // no held run: past the guards, the handler answers "unknown run"
    approve: await post('/api/runs/no-such-run/approve'),
    reject: await post('/api/runs/no-such-run/reject'),
  };
}

const WORK = { sync: 202, check: 202, approve: 404, reject: 404 };
const REFUSED = { sync: 403, check: 403, approve: 403, reject: 403 };

describe('behind a TLS proxy (X-Forwarded-Proto: https)', () => {
  it('actions work with trustProxy and publicUrl set', async () => {
    expect(await actions('both', viaProxy, PUBLIC)).toEqual(WORK);
  });

  it('publicUrl alone is accepted as the origin, without trustProxy', async () => {
    expect(await actions('publicUrlOnly', viaProxy, PUBLIC)).toEqual(WORK);
  });

  it("trustProxy alone makes the forwarded protocol and host the request's own origin", async () => {
    expect(await actions('trustProxyOnly', viaProxy, PUBLIC)).toEqual(WORK);
  });

  it('without them every action is refused (403): the request reads as http://', async () => {
    expect(await actions('neither', viaProxy, PUBLIC)).toEqual(REFUSED);
  });

  it('forwarded parts count only from the proxies trustProxy names', async () => {
    expect(await actions('otherProxy', viaProxy, PUBLIC)).toEqual(REFUSED);
  });

  it("without publicUrl, an Origin must equal the request's own origin", async () => {
    const direct = { host: '127.0.0.1:8080' };
    expect(await actions('bare', direct, 'http://127.0.0.1:8080')).toEqual(WORK);
    expect(await actions('bare', direct, 'http://127.0.0.1:8081')).toEqual(REFUSED);
    expect(await actions('bare', direct, 'https://127.0.0.1:8080')).toEqual(REFUSED);
  });
});

describe('DNS rebinding: a foreign Host is refused', () => {
  const get = (name: keyof typeof SETUPS, url: string, headers: Record<string, string>) =>
    app(name).inject({ method: 'GET', url, headers });

  it.each([['open' as const], ['bare' as const]])(
    'with auth %s: a foreign Host gets 421, even logged in and same-origin',
    async (name) => {
      const evil = { host: 'evil.example:8080', authorization: basic() };
      const page = await get(name, '/', evil);
      expect(page.statusCode).toBe(421);
      expect(page.json()).toEqual({
        error: 'misdirected_request',
        message: expect.stringContaining('evil.example'),
      });
      const post = await app(name).inject({
        method: 'POST',
        url: '/api/profiles/acme/sync',
        headers: { ...evil, origin: 'http://evil.example:8080' },
        payload: {},
      });
      expect(post.statusCode).toBe(421);
      expect((await get(name, '/no-such-page', evil)).statusCode).toBe(421);
    },
  );

  it("the answer is worded from the catalog, in the config's language", async () => {
    const r = await get('open', '/', { host: 'evil.example' });
    expect(r.json<{ message: string }>().message).toBe(
      '控制台不响应主机名 evil.example：请用 web.publicUrl 中的地址访问，或把它加入 web.allowedHosts（防 DNS 重绑定）',
    );
  });

  it.each([
    ['localhost', 'localhost:8080', 'open'],
    ['an IPv4 literal', '192.168.1.20:8080', 'open'],
    ['a bracketed IPv6 literal', '[::1]:8080', 'open'],
    ["publicUrl's host (any port)", 'dtsync.example.com:8443', 'publicUrlOnly'],
    ['a name in allowedHosts', 'DTSYNC.example.com', 'neither'],
  ] as const)('%s is served', async (_what, host, name) => {
    expect((await get(name, '/', { host, authorization: basic() })).statusCode).toBe(200);
  });

  it('/healthz, /readyz and /metrics answer any Host, and /metrics still needs its token', async () => {
    const host = { host: 'dtsync-web:8080' };
    expect((await get('bare', '/healthz', host)).statusCode).toBe(200);
    expect((await get('bare', '/readyz', host)).statusCode).toBe(200);
    expect((await get('bare', '/metrics', host)).statusCode).toBe(401);
    expect(
      (await get('bare', '/metrics', { ...host, authorization: `Bearer ${METRICS_TOKEN}` })).statusCode,
    ).toBe(200);
  });

  it('the forwarded host is the one checked, and only from a trusted proxy', async () => {
    const forwarded = { host: '127.0.0.1:8080', 'x-forwarded-host': 'evil.example', authorization: basic() };
    expect((await get('both', '/', forwarded)).statusCode).toBe(421);
    expect((await get('bare', '/', forwarded)).statusCode).toBe(200);
  });
});

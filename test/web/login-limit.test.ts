import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { LOGIN_LIMITS, slowdownMs } from '../../src/web/login-guard.js';
import { until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, bearer, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

/** Prometheus's token, at the minimum length the config allows. */
const METRICS_TOKEN = 'prom-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c';

let env: SimEnv;
/** Behind a trusted proxy on 127.0.0.1: X-Forwarded-For names the client. */
let proxied: WebUnderTest;
/** No trustProxy: every client is the peer, whatever X-Forwarded-For says. */
let direct: WebUnderTest;
/** A one-second window, to see it pass. */
let brief: WebUnderTest;
/** Its own counters, for the slowdown alone. */
let slowed: WebUnderTest;
const cleanups: (() => void | Promise<void>)[] = [];
/** The slowdowns asked for, recorded instead of waited (no test sleeps). */
const waits: number[] = [];
const wait = (ms: number) => {
  waits.push(ms);
  return Promise.resolve();
};

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 5, users: 5, departments: 1 } }, name: 'web-logins' });
  process.env.TEST_METRICS_TOKEN = METRICS_TOKEN;
  const config = (web: Record<string, unknown>, prefix: string) => {
    const cfg = writeServiceConfig(env, {
      web: { ...WEB_SECTION, metricsToken: '${TEST_METRICS_TOKEN}', ...web },
      top: { redis: { prefix: `${env.prefix}${prefix}` } },
    });
    cleanups.push(cfg.cleanup);
    return cfg.path;
  };
  const url = process.env.REDIS_URL ?? '';
  proxied = await startWebHere(env, config({ trustProxy: ['127.0.0.1'] }, ''), url, {
    loginLimits: { wait },
  });
  direct = await startWebHere(env, config({}, ':direct'), url, { loginLimits: { wait } });
  brief = await startWebHere(env, config({ trustProxy: ['127.0.0.1'] }, ':brief'), url, {
    loginLimits: { wait, windowSeconds: 1 },
  });
  slowed = await startWebHere(env, config({ trustProxy: ['127.0.0.1'] }, ':slow'), url, {
    loginLimits: { wait },
  });
});

afterAll(async () => {
  for (const w of [proxied, direct, brief, slowed]) await w?.close();
  for (const f of cleanups) await f();
  delete process.env.TEST_METRICS_TOKEN;
  await env?.close();
});

beforeEach(() => {
  waits.length = 0;
});

/** One request as the proxy forwards it for `client` (the peer is always 127.0.0.1). */
async function call(web: WebUnderTest, client: string, authorization: string, path = '/api/profiles') {
  const r = await web.app.inject({
    method: 'GET',
    url: path,
    remoteAddress: '127.0.0.1',
    headers: { authorization, 'x-forwarded-for': client },
  });
  return { status: r.statusCode, retryAfter: r.headers['retry-after'], body: r.body };
}

async function statuses(
  web: WebUnderTest,
  client: string,
  authorization: string,
  times: number,
  path?: string,
) {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push((await call(web, client, authorization, path)).status);
  return out;
}

const fill = (n: number, status: number): number[] => Array.from({ length: n }, () => status);
const wrong = (user = 'admin') => basic(user, 'not-the-password');

describe('one failed-login limiter, per address and user', () => {
  it('after 10 failures in 15 minutes an address is refused (429) for that user, the right password included', async () => {
    expect(await statuses(proxied, '198.51.100.1', wrong(), 10)).toEqual(fill(10, 401));
    const locked = await call(proxied, '198.51.100.1', basic());
    expect(locked.status).toBe(429);
    // the window is 15 minutes from the first failure
    expect(Number(locked.retryAfter)).toBeGreaterThan(LOGIN_LIMITS.windowSeconds - 60);
    expect(Number(locked.retryAfter)).toBeLessThanOrEqual(LOGIN_LIMITS.windowSeconds);
    expect(JSON.parse(locked.body)).toEqual({
      error: 'too_many_requests',
      message: '此地址登录失败次数过多，请 15 分钟后再试',
    });
  });

  it("one address's failures don't lock out another's right password, nor the same address's token", async () => {
    expect((await call(proxied, '198.51.100.1', basic())).status).toBe(429);
    expect((await call(proxied, '198.51.100.2', basic())).status).toBe(200);
    expect((await call(proxied, '198.51.100.1', bearer())).status).toBe(200);
  });

  it('failed logins on /metrics go through the same limiter and lock out after the limit', async () => {
    // five on the API and five on /metrics make ten
    expect(await statuses(proxied, '198.51.100.3', wrong(), 5)).toEqual(fill(5, 401));
    expect(await statuses(proxied, '198.51.100.3', wrong(), 5, '/metrics')).toEqual(fill(5, 401));
    expect((await call(proxied, '198.51.100.3', basic(), '/metrics')).status).toBe(429);
    expect((await call(proxied, '198.51.100.3', basic())).status).toBe(429);
    // guessing the metrics token counts as "token": after ten, even the right one is refused
    expect(await statuses(proxied, '198.51.100.4', bearer('guess'), 10, '/metrics')).toEqual(fill(10, 401));
    expect((await call(proxied, '198.51.100.4', bearer(METRICS_TOKEN), '/metrics')).status).toBe(429);
    expect((await call(proxied, '198.51.100.4', bearer())).status).toBe(429);
    expect((await call(proxied, '198.51.100.5', bearer(METRICS_TOKEN), '/metrics')).status).toBe(200);
  });

  it('without trustProxy a forwarded address is not believed: every failure counts on the peer', async () => {
    for (let i = 0; i < 10; i++)
      expect((await call(direct, `203.0.113.${i}`, wrong('mallory'))).status).toBe(401);
    expect((await call(direct, '203.0.113.99', wrong('mallory'))).status).toBe(429);
  });

  it('a parallel burst cannot overrun the limit: each try takes its point before it is checked', async () => {
    const burst = await Promise.all(
      Array.from({ length: 30 }, () => call(proxied, '198.51.100.6', wrong('burst'))),
    );
    expect(burst.filter((r) => r.status === 401)).toHaveLength(10);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(20);
  });

  it('the refusal ends when the window passes', async () => {
    expect(await statuses(brief, '198.51.100.7', wrong(), 11)).toEqual([...fill(10, 401), 429]);
    expect((await call(brief, '198.51.100.7', basic())).status).toBe(429);
    await until(
      async () => (await call(brief, '198.51.100.7', basic())).status === 200,
      'the one-second window to pass',
      10_000,
      50,
    );
  });

  it('the counters name no user: a password typed as the user name never reaches Redis', async () => {
    expect((await call(proxied, '198.51.100.8', basic('hunter2-typed-as-user', 'x'))).status).toBe(401);
    const keys = await env.redis.keys(`${env.prefix}:web:failed-logins:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k).not.toContain('hunter2');
      expect(k).not.toContain('admin');
    }
  });
});

describe('a per-user slowdown, across addresses', () => {
  it('grows to about 1 s a try as one user fails from many addresses, and slows the right password too', async () => {
    // one failure from each of 17 addresses: none is locked, but the user's tries slow down
    for (let i = 1; i <= 17; i++) expect((await call(slowed, `192.0.2.${i}`, wrong())).status).toBe(401);
    // the first five failures cost nothing; then 100 ms more per failure, capped at 1 s
    expect(waits).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1000]);
    expect(slowdownMs(1000, LOGIN_LIMITS)).toBe(1000);
    // checked before the answer is known: a guesser cannot hang up early on a slow "no"
    waits.length = 0;
    expect((await call(slowed, '192.0.2.100', basic())).status).toBe(200);
    expect(waits).toEqual([1000]);
  });

  it('a user without recent failures is not slowed', async () => {
    expect((await call(direct, '127.0.0.1', basic())).status).toBe(200);
    expect((await call(direct, '127.0.0.1', basic('quiet', 'x'))).status).toBe(401);
    expect(waits).toEqual([]);
  });
});

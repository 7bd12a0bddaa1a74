import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startPrivateRedis, type PrivateRedis } from '../../sim/redis/private-redis.js';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { bearer, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

let env: SimEnv;
let redis: PrivateRedis;
let web: WebUnderTest;
let cfg: { path: string; cleanup: () => void };

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 9, users: 5, departments: 1 } }, name: 'web-down' });
  cfg = writeServiceConfig(env, { web: WEB_SECTION });
  // a Redis of its own, so stopping it leaves the other test files theirs
  redis = await startPrivateRedis({ allowInstall: false, notify: () => undefined });
  web = await startWebHere(env, cfg.path, redis.url);
});

afterAll(async () => {
  await web.close();
  await redis.stop().catch(() => undefined);
  cfg.cleanup();
  await env.close();
});

describe('web console with Redis down', () => {
  it('answers 503 on the API and /readyz with no stack trace, while /healthz stays 200', async () => {
    const headers = { authorization: bearer() };
    expect((await fetch(`${web.url}/api/profiles/acme/status`, { headers })).status).toBe(200);
    await redis.stop();
    for (const path of ['/api/profiles/acme/status', '/api/workers', '/api/runs/1', '/']) {
      const r = await fetch(`${web.url}${path}`, { headers });
      const text = await r.text();
      expect(r.status).toBe(503);
      expect(JSON.parse(text)).toEqual({ error: 'unavailable', message: '无法连接 Redis，请稍后再试' });
      expect(text).not.toMatch(/\bat .*\.(js|ts):\d+|ECONNREFUSED|stack/);
    }
    const post = await fetch(`${web.url}/api/profiles/acme/sync`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(503);
    expect((await fetch(`${web.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
  });
});

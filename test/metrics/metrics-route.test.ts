import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Agent } from 'node:http';
import Fastify from 'fastify';
import got from 'got';
import { producerConnection } from '../../src/redis/connections.js';
import { metricsRoute } from '../../src/metrics/metrics-route.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { buildConfig } from '../helpers/profile.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const redis = testRedis();
const prefix = uniquePrefix('metrics-route');
const config = buildConfig({
  redis: { prefix },
  profiles: [
    {
      id: 'acme',
      dingtalk: { appKey: 'k', appSecret: 's' },
      pds: { domainId: 'd1', clientId: 'c', privateKey: 'x' },
    },
  ],
});
const noKeepAlive = new Agent({ keepAlive: false });
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** A web app with only the metrics route; its auth hook accepts `Basic admin:pw`. */
async function app(o: { redisDown?: boolean } = {}): Promise<{
  get: (
    authorization?: string,
  ) => Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
}> {
  const conn = producerConnection(process.env.REDIS_URL ?? '', { enableOfflineQueue: false });
  const queue = openSyncQueue(conn, prefix);
  queue.on('error', () => undefined);
  // without an offline queue, commands before the connection is up fail (as they should: 503)
  if (conn.status !== 'ready') await new Promise((r) => conn.once('ready', r));
  await queue.waitUntilReady();
  if (o.redisDown === true) conn.disconnect(); // Redis gone: every command now fails at once
  const web = Fastify({ logger: false });
  await web.register(metricsRoute, {
    redis: conn,
    queue,
    config,
    authenticate: async (req, reply) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('admin:pw').toString('base64')}`)
        await reply.code(401).send({ error: 'unauthorised' });
    },
  });
  closers.push(async () => {
    await web.close();
    if (conn.status === 'end') await conn.connect(); // Redis back, so the queue closes cleanly
    await queue.close();
    conn.disconnect();
  });
  const base = await web.listen({ port: 0, host: '127.0.0.1' });
  return {
    get: (authorization) =>
      got(`${base}/metrics`, {
        throwHttpErrors: false,
        retry: { limit: 0 },
        agent: { http: noKeepAlive }, // no idle socket outlives the test
        headers: authorization === undefined ? {} : { authorization },
      }),
  };
}

const BASIC = `Basic ${Buffer.from('admin:pw').toString('base64')}`;

// which credentials open it (the metrics token, the console login, one limiter) is the web role's
// auth hook: test/web/metrics-endpoint.test.ts
describe('GET /metrics', () => {
  it("serves Prometheus's text format when the auth hook lets the request in, and nothing when it answers", async () => {
    const web = await app();
    const ok = await web.get(BASIC);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(ok.body).toContain('# TYPE dtsync_runs_total counter');
    expect(ok.body).toContain('bullmq_job_count{queue="sync",state="waiting"} 0');
    expect((await web.get()).statusCode).toBe(401);
  });

  it('answers 503 without a stack trace when Redis is down', async () => {
    const web = await app({ redisDown: true });
    const res = await web.get(BASIC);
    expect(res.statusCode).toBe(503);
    expect(res.body).toBe('metrics unavailable: Redis did not answer\n');
  });
});

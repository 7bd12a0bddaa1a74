import type { FastifyPluginCallback } from 'fastify';
import type { RedisClient } from '../redis/client.js';

/** Pings Redis, bounded: a Redis that does not answer is as down as one that refuses. */
async function redisAnswers(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status !== 'ready') return false; // reconnecting: a ping would only queue
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      redis.ping().then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz` (the process is up) and `/readyz` (Redis answers); neither needs a login. */
export function healthPlugin(redis: RedisClient): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/healthz', () => ({ status: 'ok' }));
    app.get('/readyz', async (_req, reply) => {
      if (await redisAnswers(redis, 2000)) return { status: 'ready' };
      return reply.code(503).send({ status: 'unavailable', message: 'Redis is unreachable' });
    });
    done();
  };
}

import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '../redis/client.js';
import type { Config } from '../config/schema.js';
import type { SyncQueue } from '../queue/queue.js';
import { METRICS_CONTENT_TYPE, metricsText } from './registry.js';

export interface MetricsRouteOptions {
  readonly redis: RedisClient;
  readonly queue: SyncQueue;
  readonly config: Config;
  /** The web role's auth hook (the metrics token or the console login, through its limiter). */
  readonly authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/**
 * `GET /metrics` for the web role, behind the web role's auth (which takes the metrics token);
 * 503 without a stack when Redis does not answer.
 */
export const metricsRoute: FastifyPluginCallback<MetricsRouteOptions> = (app, o, done) => {
  app.get(
    '/metrics',
    {
      onRequest: async (req, reply) => {
        await o.authenticate(req, reply);
        return reply.sent ? reply : undefined;
      },
    },
    async (req, reply) => {
      try {
        const text = await metricsText(o.redis, o.queue, o.config);
        return await reply.type(METRICS_CONTENT_TYPE).send(text);
      } catch (err) {
        req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics unavailable');
        return reply.code(503).type('text/plain').send('metrics unavailable: Redis did not answer\n');
      }
    },
  );
  done();
};

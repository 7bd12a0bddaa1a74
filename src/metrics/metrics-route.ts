import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '../redis/client.js';
import type { Config } from '../config/schema.js';
import type { Secret } from '../config/secret.js';
import type { SyncQueue } from '../queue/queue.js';
import { METRICS_CONTENT_TYPE, metricsText } from './registry.js';

export interface MetricsRouteOptions {
  readonly redis: RedisClient;
  readonly queue: SyncQueue;
  readonly config: Config;
  /** `web.metricsToken`: Prometheus's bearer token. */
  readonly token: Secret | undefined;
  /** The web role's own auth hook, for requests without the metrics token. */
  readonly authenticate: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/** Compares in constant time (over digests, so the lengths do not show either). */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

/**
 * `GET /metrics` for the web role: the metrics token as a bearer token, else the web role's auth;
 * 503 without a stack when Redis does not answer.
 */
export const metricsRoute: FastifyPluginCallback<MetricsRouteOptions> = (app, o, done) => {
  app.get(
    '/metrics',
    {
      onRequest: async (req, reply) => {
        const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
        if (o.token?.isSet === true && bearer !== undefined && sameSecret(bearer, o.token.reveal())) return;
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

import fastifyHelmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { WebDeps } from './deps.js';
import { errorHandler } from './error-handler.js';
import { metricsRoute } from '../metrics/metrics-route.js';
import { authenticate } from './auth.js';
import { healthPlugin } from './health.js';
import { requestT } from './locale.js';
import { securedScope } from './secure-scope.js';

/**
 * The web role's HTTP app: helmet's headers on every answer, the health checks open, and
 * everything else (API, pages, dashboard) inside the secured scope.
 */
export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const web = deps.config.web;
  if (web === undefined) throw new Error('the web role needs a web: section');
  const logger: FastifyBaseLogger = deps.log.child({ component: 'web' });
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      // the console is often reached over plain http on a LAN: keep its assets on http
      directives: { 'upgrade-insecure-requests': null },
    },
  });
  app.setErrorHandler(errorHandler(deps.redis, deps.config.locale));
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({
      error: 'not_found',
      message: requestT(req, deps.config.locale)('api.no_route', {
        method: req.method,
        path: req.url.split('?')[0] ?? '',
      }),
    }),
  );
  await app.register(healthPlugin(deps.redis));
  // Prometheus presents web.metricsToken; without one, /metrics takes the console's login
  await app.register(metricsRoute, {
    redis: deps.redis,
    queue: deps.queue,
    config: deps.config,
    token: web.metricsToken,
    authenticate: async (req, reply) => {
      if (authenticate(web.auth, req.headers.authorization).ok) return;
      await reply
        .code(401)
        .header('www-authenticate', 'Basic realm="dtsync", charset="UTF-8"')
        .send({
          error: 'unauthorized',
          message: requestT(req, deps.config.locale)('api.metrics_unauthorized'),
        });
    },
  });
  await app.register(securedScope(deps, web));
  return app;
}

import fastifyHelmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { WebDeps } from './deps.js';
import { errorHandler } from './error-handler.js';
import { metricsRoute } from '../metrics/metrics-route.js';
import { authenticateMetrics } from './auth.js';
import { healthPlugin } from './health.js';
import { guardHosts } from './host-guard.js';
import { requestT } from './locale.js';
import { LOGIN_LIMITS, LoginGuard, refuseLogin } from './login-guard.js';
import { securedScope } from './secure-scope.js';

/**
 * The web role's HTTP app: helmet's headers on every answer, foreign Host names refused, the
 * health checks open, and everything else (API, pages, dashboard) inside the secured scope. One
 * login guard counts the failed logins of the secured scope and of /metrics alike.
 */
export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  const web = deps.config.web;
  if (web === undefined) throw new Error('the web role needs a web: section');
  const logger: FastifyBaseLogger = deps.log.child({ component: 'web' });
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // fastify's own reading of X-Forwarded-Proto/-Host/-For, for the peers web.trustProxy names
    trustProxy: web.trustProxy,
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
  guardHosts(app, web, deps.config.locale);
  await app.register(healthPlugin(deps.redis));
  const logins = new LoginGuard(deps.redis, deps.config.redis.prefix, {
    ...LOGIN_LIMITS,
    ...deps.loginLimits,
  });
  // Prometheus presents web.metricsToken; without one, /metrics takes the console's login
  await app.register(metricsRoute, {
    redis: deps.redis,
    queue: deps.queue,
    config: deps.config,
    authenticate: async (req, reply) => {
      const outcome = await logins.check(req, (header) => authenticateMetrics(web, header));
      if (outcome.kind !== 'ok')
        await refuseLogin(reply, outcome, requestT(req, deps.config.locale), 'api.metrics_unauthorized');
    },
  });
  await app.register(securedScope(deps, web, logins));
  return app;
}

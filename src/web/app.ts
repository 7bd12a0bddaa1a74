import fastifyHelmet from '@fastify/helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { WebDeps } from './deps.js';
import { errorHandler } from './errors.js';
import { healthPlugin } from './health.js';
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
  app.setErrorHandler(errorHandler(deps.redis));
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` }),
  );
  await app.register(healthPlugin(deps.redis));
  await app.register(securedScope(deps, web));
  return app;
}

import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSettings } from '../config/schema.js';
import { authenticate, type Principal } from './auth.js';
import { apiPlugin } from './api/plugin.js';
import { dashboardPlugin } from './dashboard.js';
import type { WebDeps } from './deps.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';
import { pagesPlugin } from './pages/plugin.js';
import { requestT } from './locale.js';
import { publicUrlOf } from './startable.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook of the secured scope. */
    principal: Principal | null;
  }
}

/** Failed logins a client may make per minute; the next one is answered 429. */
export const FAILED_LOGINS_PER_MINUTE = 5;

/** The cookie the pages and bull-board's UI (axios) read the CSRF token from. */
export const XSRF_COOKIE = 'XSRF-TOKEN';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const exceeded = (r: { isAllowed: boolean; isExceeded?: boolean }) => !r.isAllowed && r.isExceeded === true;

/** Same-origin only: the console's own address or the one the request was made to. */
function crossOrigin(req: FastifyRequest, web: WebSettings): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'cross-site';
  const own = new Set([new URL(publicUrlOf(web)).origin, `${req.protocol}://${req.host}`]);
  return !own.has(origin);
}

/**
 * Everything but the health checks lives in this encapsulated scope: its hooks authenticate
 * every request (basic or bearer, failed logins limited in Redis across web processes) and
 * protect every state-changing one against CSRF, for the API, the pages and the dashboard.
 */
export function securedScope(deps: WebDeps, web: WebSettings): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyRateLimit, {
      global: false,
      redis: deps.redis,
      nameSpace: `${deps.config.redis.prefix}:web:failed-logins:`,
      // Redis down must not lock everyone out; the routes answer 503 on their own
      skipOnError: true,
    });
    const failedLogins = app.createRateLimit({ max: FAILED_LOGINS_PER_MINUTE, timeWindow: 60_000 });
    await app.register(fastifyCookie);
    await app.register(fastifyCsrf, {
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true },
      getToken: (req) => {
        const h = req.headers['x-csrf-token'] ?? req.headers['x-xsrf-token'];
        return Array.isArray(h) ? h[0] : h;
      },
    });
    app.decorateRequest('principal', null);

    const words = (req: FastifyRequest) => requestT(req, deps.config.locale);
    const tooMany = (req: FastifyRequest, reply: FastifyReply) =>
      reply.code(429).send({ error: 'too_many_requests', message: words(req)('api.too_many_requests') });

    app.addHook('onRequest', async (req, reply) => {
      // every route here reads Redis: answer at once rather than queue behind a reconnect
      if (deps.redis.status !== 'ready') throw new RedisUnavailableError();
      if (exceeded(await failedLogins(req, { increment: false }))) return tooMany(req, reply);
      const result = authenticate(web.auth, req.headers.authorization);
      if (!result.ok) {
        if (result.attempted && exceeded(await failedLogins(req))) return tooMany(req, reply);
        return reply
          .code(401)
          .header('www-authenticate', 'Basic realm="dtsync", charset="UTF-8"')
          .send({ error: 'unauthorized', message: words(req)('api.unauthorized') });
      }
      req.principal = result.principal;
      if (SAFE.has(req.method)) return undefined;
      if (crossOrigin(req, web))
        return reply.code(403).send({ error: 'forbidden', message: words(req)('api.forbidden') });
      // a bearer token is never sent by a browser on its own; basic auth is
      if (result.principal.via !== 'token')
        await new Promise<void>((resolve, reject) => {
          app.csrfProtection(req, reply, (err?: Error) => (err === undefined ? resolve() : reject(err)));
        });
      return undefined;
    });
    // pages and the dashboard read the token from this cookie (bull-board's axios sends it back)
    app.addHook('onSend', async (req, reply, payload) => {
      if (
        req.method === 'GET' &&
        req.principal !== null &&
        (req.cookies[XSRF_COOKIE] === undefined || req.cookies._csrf === undefined)
      ) {
        void reply.setCookie(XSRF_COOKIE, reply.generateCsrf(), { path: '/', sameSite: 'strict' });
      }
      return payload;
    });

    await app.register(apiPlugin(deps), { prefix: '/api' });
    await app.register(pagesPlugin(deps));
    await app.register(dashboardPlugin(deps, web), { prefix: '/admin/queues' });
  };
}

import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSettings } from '../config/schema.js';
import { authenticate, type Principal } from './auth.js';
import { apiPlugin } from './api/plugin.js';
import { dashboardPlugin } from './dashboard.js';
import type { WebDeps } from './deps.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';
import { pagesPlugin } from './pages/plugin.js';
import { requestT } from './locale.js';
import { refuseLogin, type LoginGuard } from './login-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook of the secured scope. */
    principal: Principal | null;
  }
}

/** The cookie the pages and bull-board's UI (axios) read the CSRF token from. */
export const XSRF_COOKIE = 'XSRF-TOKEN';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Same-origin only: `web.publicUrl`'s origin, or the one the request was made to. The latter's
 * protocol and host are the forwarded ones only from a peer `web.trustProxy` trusts (fastify's
 * `protocol` and `host`), so behind a TLS proxy either setting makes `https://…` count.
 */
function crossOrigin(req: FastifyRequest, web: WebSettings): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'cross-site';
  if (web.publicUrl !== undefined && new URL(web.publicUrl).origin === origin) return false;
  return origin !== `${req.protocol}://${req.host}`;
}

/**
 * Everything but the health checks and /metrics lives in this encapsulated scope: its hooks
 * authenticate every request (basic or bearer, through the web role's one login guard) and
 * protect every state-changing one against CSRF, for the API, the pages and the dashboard.
 */
export function securedScope(deps: WebDeps, web: WebSettings, logins: LoginGuard): FastifyPluginAsync {
  return async (app) => {
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

    app.addHook('onRequest', async (req, reply) => {
      // every route here reads Redis: answer at once rather than queue behind a reconnect
      if (deps.redis.status !== 'ready') throw new RedisUnavailableError();
      const login = await logins.check(req, (header) => authenticate(web.auth, header));
      if (login.kind !== 'ok') return refuseLogin(reply, login, words(req), 'api.unauthorized');
      req.principal = login.principal;
      if (SAFE.has(req.method)) return undefined;
      if (crossOrigin(req, web))
        return reply.code(403).send({ error: 'forbidden', message: words(req)('api.forbidden') });
      // a bearer token is never sent by a browser on its own; basic auth is
      if (login.principal.via !== 'token')
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

import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Locale } from '../i18n/catalog.js';
import type { WebSettings } from '../config/schema.js';
import { requestT } from './locale.js';

/**
 * Routes any Host may reach: the image's healthcheck and a Prometheus scraping by service name
 * know no public name (/metrics still needs its token).
 */
const ANY_HOST = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Whether the console answers to this Host name (port already dropped): publicUrl's host,
 * localhost, an IP literal, or a name in `web.allowedHosts`. A DNS-rebinding page reaches the
 * console under its own name, so its requests are refused even when their Origin equals it.
 */
export function hostAllowed(hostname: string, web: WebSettings): boolean {
  const name = hostname.toLowerCase();
  const bare = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  if (name === 'localhost' || isIP(bare) !== 0) return true;
  if (web.publicUrl !== undefined && new URL(web.publicUrl).hostname.toLowerCase() === name) return true;
  return web.allowedHosts?.includes(name) === true;
}

/**
 * Refuses a request for a foreign Host with 421 Misdirected Request: this server is not the one
 * for that name (a 403 would read as "log in" or "CSRF" to whoever debugs a proxy). The Host is
 * the forwarded one only when `web.trustProxy` trusts the peer (fastify's `hostname`).
 */
export function guardHosts(app: FastifyInstance, web: WebSettings, configLocale: Locale): void {
  app.addHook('onRequest', async (req, reply) => {
    if (ANY_HOST.has(req.routeOptions.url ?? '') || hostAllowed(req.hostname, web)) return undefined;
    return reply.code(421).send({
      error: 'misdirected_request',
      message: requestT(req, configLocale)('api.host_not_allowed', { host: req.hostname }),
    });
  });
}

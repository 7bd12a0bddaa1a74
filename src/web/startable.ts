import { isIP } from 'node:net';
import type { Config, WebSettings } from '../config/schema.js';

/** Loopback addresses only the machine itself can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Why the web role must not start with this config, in one line, or undefined when it may:
 * no `web:` section, a console open to the network with no login, or an unset secret.
 */
export function webStartProblem(config: Config): string | undefined {
  const web = config.web;
  if (web === undefined) return 'the web role needs a web: section in the config (host, port, auth)';
  if (web.auth === 'none') {
    return isLoopbackHost(web.host)
      ? undefined
      : `web.auth is none but web.host ${web.host} is not a loopback address: set a username and password or tokens, or host 127.0.0.1`;
  }
  const unset = [
    ...(web.auth.password !== undefined && !web.auth.password.isSet
      ? [`web.auth.password (${web.auth.password.envVar ?? '?'})`]
      : []),
    ...(web.auth.tokens ?? [])
      .filter((t) => !t.token.isSet)
      .map((t) => `the token of ${t.name} (${t.token.envVar ?? '?'})`),
  ];
  return unset.length === 0 ? undefined : `environment variable not set for ${unset.join(', ')}`;
}

/** The URL links point at: `web.publicUrl`, else the listening address. */
export function publicUrlOf(web: WebSettings): string {
  if (web.publicUrl !== undefined) return web.publicUrl.replace(/\/$/, '');
  const host = web.host === '0.0.0.0' || web.host === '::' ? '127.0.0.1' : web.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${web.port}`;
}

import { isIP } from 'node:net';
import type { Config, WebSettings } from '../config/schema.js';
import type { Coded } from '../i18n/coded.js';

/** Loopback addresses only the machine itself can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Why the web role must not start with this config, as a code (worded by the CLI, `cli.web.*`),
 * or undefined when it may: no `web:` section, a console open to the network with no login, or
 * an unset secret.
 */
export function webStartProblem(config: Config): Coded | undefined {
  const web = config.web;
  if (web === undefined) return { code: 'no_section', params: {} };
  if (web.auth === 'none') {
    return isLoopbackHost(web.host) ? undefined : { code: 'open_no_auth', params: { host: web.host } };
  }
  const unset = [
    ...(web.auth.password !== undefined && !web.auth.password.isSet
      ? [`web.auth.password (${web.auth.password.envVar ?? '?'})`]
      : []),
    ...(web.auth.tokens ?? [])
      .filter((t) => !t.token.isSet)
      .map((t) => `web.auth.tokens "${t.name}" (${t.token.envVar ?? '?'})`),
  ];
  return unset.length === 0 ? undefined : { code: 'unset', params: { what: unset.join(', ') } };
}

/** The URL links point at: `web.publicUrl`, else the listening address. */
export function publicUrlOf(web: WebSettings): string {
  if (web.publicUrl !== undefined) return web.publicUrl.replace(/\/$/, '');
  const host = web.host === '0.0.0.0' || web.host === '::' ? '127.0.0.1' : web.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${web.port}`;
}

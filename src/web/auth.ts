import { createHash, timingSafeEqual } from 'node:crypto';
import type { WebAuth, WebSettings } from '../config/schema.js';

/** Who a request acts as, and how it proved it. */
export interface Principal {
  /** Recorded as who acted: the basic-auth user, or the token's name. */
  readonly actor: string;
  /** Basic auth (and `none`) ride along on cross-site requests, so they need CSRF checks. */
  readonly via: 'basic' | 'token' | 'none';
}

export type AuthResult =
  { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly attempted: boolean };

/** Equal-length digests, so the comparison takes the same time whatever the input. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function basicOf(header: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Checks an Authorization header against `web.auth`: HTTP basic or a bearer token, both compared
 * in constant time. `attempted` tells a wrong credential (counted as a failed login) from none.
 */
export function authenticate(auth: WebAuth, header: string | undefined): AuthResult {
  if (auth === 'none') return { ok: true, principal: { actor: 'web', via: 'none' } };
  if (header === undefined || header === '') return { ok: false, attempted: false };
  if (/^basic /i.test(header) && auth.username !== undefined && auth.password !== undefined) {
    const given = basicOf(header);
    if (given === undefined) return { ok: false, attempted: true };
    const userOk = sameSecret(given.user, auth.username);
    const passwordOk = sameSecret(given.password, auth.password.reveal());
    return userOk && passwordOk
      ? { ok: true, principal: { actor: auth.username, via: 'basic' } }
      : { ok: false, attempted: true };
  }
  if (/^bearer /i.test(header)) {
    const given = header.slice(7).trim();
    // every token is compared, so the time does not tell which one nearly matched
    let match: string | undefined;
    for (const t of auth.tokens ?? []) if (sameSecret(given, t.token.reveal())) match ??= t.name;
    return match === undefined
      ? { ok: false, attempted: true }
      : { ok: true, principal: { actor: `token:${match}`, via: 'token' } };
  }
  return { ok: false, attempted: true };
}

/**
 * `/metrics`: Prometheus's `web.metricsToken` as a bearer token, else the console's own login
 * (the same limiter counts both).
 */
export function authenticateMetrics(web: WebSettings, header: string | undefined): AuthResult {
  const bearer = /^bearer (.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (
    web.metricsToken?.isSet === true &&
    bearer !== undefined &&
    sameSecret(bearer, web.metricsToken.reveal())
  )
    return { ok: true, principal: { actor: 'metrics', via: 'token' } };
  return authenticate(web.auth, header);
}

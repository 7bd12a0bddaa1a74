import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '../redis/client.js';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Translate } from '../i18n/catalog.js';
import type { AuthResult, Principal } from './auth.js';
import { RedisUnavailableError } from '../errors/redis-unavailable-error.js';

/** How failed logins are limited. The defaults are the rule; tests shrink the window. */
export interface LoginLimits {
  /** Failed tries one address may make for one user in a window; then it is refused. @defaultValue 10 */
  readonly maxFailures: number;
  /** The window, in whole seconds (Redis expires the counters). @defaultValue 900 */
  readonly windowSeconds: number;
  /** Failures of one user, from any address, before each try of that user is slowed. @defaultValue 5 */
  readonly slowAfter: number;
  /** The slowdown grows by this per failure beyond `slowAfter`… @defaultValue 100 */
  readonly slowStepMs: number;
  /** …up to this. @defaultValue 1000 */
  readonly slowMaxMs: number;
  /** Waits the slowdown out (a test records it instead). */
  readonly wait: (ms: number) => Promise<unknown>;
}

export const LOGIN_LIMITS: LoginLimits = {
  maxFailures: 10,
  windowSeconds: 15 * 60,
  slowAfter: 5,
  slowStepMs: 100,
  slowMaxMs: 1000,
  wait: (ms) => delay(ms),
};

/** What a login came to: in, no credentials at all, wrong ones, or refused untried. */
export type LoginOutcome =
  | { readonly kind: 'ok'; readonly principal: Principal }
  | { readonly kind: 'missing' }
  | { readonly kind: 'failed' }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number };

/** The pause before a try of a user with this many recent failures. */
export function slowdownMs(failures: number, limits: LoginLimits): number {
  return Math.min(limits.slowMaxMs, Math.max(0, failures - limits.slowAfter) * limits.slowStepMs);
}

/**
 * Who a credential claims to be, before it is checked: the basic-auth user (hashed, so a password
 * typed as the user name never reaches Redis), or "token" for any other scheme.
 */
function claimedUser(header: string | undefined): string | undefined {
  if (header === undefined || header === '') return undefined;
  if (!/^basic /i.test(header)) return 'token';
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const user = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
  return `user:${createHash('sha256').update(user).digest('base64url').slice(0, 22)}`;
}

/**
 * The one failed-login limiter of the web role, for the console, the API, the dashboard and
 * /metrics alike, counted in Redis so that every web process shares it. Per address and user:
 * each try takes a point first and a right one gives it back, so parallel tries cannot overrun
 * the limit; past it, that address is refused for that user, the right password included, until
 * the window ends. Per user, from any address: each try waits longer as failures grow, which
 * slows guessing spread over many addresses without locking the real admin out.
 */
export class LoginGuard {
  readonly #pairs: RateLimiterRedis;
  readonly #users: RateLimiterRedis;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly limits: LoginLimits = LOGIN_LIMITS,
  ) {
    const base = { storeClient: redis, duration: limits.windowSeconds, rejectIfRedisNotReady: true };
    this.#pairs = new RateLimiterRedis({
      ...base,
      keyPrefix: `${prefix}:web:failed-logins:pair`,
      points: limits.maxFailures,
    });
    this.#users = new RateLimiterRedis({
      ...base,
      keyPrefix: `${prefix}:web:failed-logins:user`,
      points: Number.MAX_SAFE_INTEGER,
    });
  }

  /** Checks the request's credential with `verify`, through the limits. */
  async check(
    req: FastifyRequest,
    verify: (header: string | undefined) => AuthResult,
  ): Promise<LoginOutcome> {
    const header = req.headers.authorization;
    const user = claimedUser(header);
    if (user === undefined) {
      // nothing tried, nothing to count (auth: none lets it in)
      const result = verify(header);
      return result.ok ? { kind: 'ok', principal: result.principal } : { kind: 'missing' };
    }
    // without the counters a guess would go unlimited: refuse rather than check
    if (this.redis.status !== 'ready') throw new RedisUnavailableError();
    const pair = `${req.ip}/${user}`;
    try {
      await this.#pairs.consume(pair);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return { kind: 'locked', retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
    }
    const failures = (await this.#users.get(user))?.consumedPoints ?? 0;
    const pause = slowdownMs(failures, this.limits);
    if (pause > 0) await this.limits.wait(pause);
    const result = verify(header);
    if (result.ok) {
      await this.#pairs.reward(pair);
      return { kind: 'ok', principal: result.principal };
    }
    await this.#users.penalty(user);
    return { kind: 'failed' };
  }
}

/** The answer to a refused login: 401 asking for basic auth, or 429 saying when to try again. */
export function refuseLogin(
  reply: FastifyReply,
  outcome: Exclude<LoginOutcome, { kind: 'ok' }>,
  t: Translate,
  unauthorized: 'api.unauthorized' | 'api.metrics_unauthorized',
): FastifyReply {
  if (outcome.kind === 'locked') {
    return reply
      .code(429)
      .header('retry-after', String(outcome.retryAfterSeconds))
      .send({
        error: 'too_many_requests',
        message: t('api.too_many_requests', { minutes: Math.ceil(outcome.retryAfterSeconds / 60) }),
      });
  }
  return reply
    .code(401)
    .header('www-authenticate', 'Basic realm="dtsync", charset="UTF-8"')
    .send({ error: 'unauthorized', message: t(unauthorized) });
}

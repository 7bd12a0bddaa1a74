import { readEnv } from './env.js';
import type { Config } from './schema.js';
import type { Secret } from './secret.js';
import { maskUrlPassword } from './redis-url.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where the service's Redis is, as the config says: one URL, a master behind Sentinel, or a
 * Cluster. Passwords stay Secrets (they print as `***`), so a target can be logged as it is.
 */
export type RedisTarget =
  | { readonly mode: 'single'; readonly url: string }
  | {
      readonly mode: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      readonly name: string;
      readonly password?: Secret | undefined;
      readonly sentinelPassword?: Secret | undefined;
    }
  | {
      readonly mode: 'cluster';
      readonly nodes: readonly RedisNode[];
      readonly password?: Secret | undefined;
    };

/** The config's Redis; `REDIS_URL` overrides `redis.url` (the loader refuses it beside sentinel or cluster). */
export function redisTargetOf(config: Config, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const r = config.redis;
  if (r.sentinel !== undefined) return { mode: 'sentinel', ...r.sentinel };
  if (r.cluster !== undefined) return { mode: 'cluster', ...r.cluster };
  return { mode: 'single', url: readEnv(env).REDIS_URL ?? r.url ?? DEFAULT_REDIS_URL };
}

/** A URL is a single Redis (tests, the demo and the simulators hand one around). */
export function targetOf(target: RedisTarget | string): RedisTarget {
  return typeof target === 'string' ? { mode: 'single', url: target } : target;
}

const addresses = (nodes: readonly RedisNode[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');

/** The target for messages and logs: addresses and names, never a password. */
export function describeRedis(target: RedisTarget | string): string {
  const t = targetOf(target);
  switch (t.mode) {
    case 'single':
      return maskUrlPassword(t.url);
    case 'sentinel':
      return `sentinel ${t.name}@${addresses(t.sentinels)}`;
    case 'cluster':
      return `cluster ${addresses(t.nodes)}`;
  }
}

/** Whether two targets reach the same Redis with the same credentials (a reload needs a restart if not). */
export function sameRedis(a: RedisTarget, b: RedisTarget): boolean {
  const pw = (s: Secret | undefined) => (s?.isSet === true ? s.reveal() : undefined);
  const key = (t: RedisTarget) =>
    JSON.stringify(
      t.mode === 'single'
        ? t
        : t.mode === 'sentinel'
          ? { ...t, password: pw(t.password), sentinelPassword: pw(t.sentinelPassword) }
          : { ...t, password: pw(t.password) },
    );
  return key(a) === key(b);
}

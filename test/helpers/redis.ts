import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../../src/redis/client.js';
import { startPrivateRedis, type PrivateRedis } from '../../sim/redis/private-redis.js';

/** The real Redis of this test run (REDIS_URL, or the private one global-setup started). */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (url === undefined || url === '') throw new Error('REDIS_URL is not set: run the tests with npm test');
  return url;
}

/** A key prefix of its own per test, so tests never see each other's keys. */
export function uniquePrefix(name: string): string {
  return `{t-${name}-${randomUUID().slice(0, 8)}}`;
}

export function testRedis(): Redis {
  return new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
}

/**
 * Every key matching `pattern`: SCAN on each master of a Cluster (a SCAN sees one node's keys
 * only), on the server itself otherwise.
 */
export async function keysMatching(redis: RedisClient, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  await redis.ping(); // a Cluster knows its masters once connected
  for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
  }
  return keys;
}

/** Deletes only the keys under a test's own prefix (one DEL per key: on a Cluster they may lie in many slots). */
export async function dropPrefix(redis: RedisClient, prefix: string): Promise<void> {
  const keys = await keysMatching(redis, `${prefix}*`);
  if (redis instanceof Cluster) await Promise.all(keys.map((k) => redis.del(k)));
  else if (keys.length > 0)
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
}

/**
 * The same real client, with calls to the named methods counted as they are made (MONITOR would
 * also see the other test files sharing this Redis, and ioredis's monitor mode is fragile under
 * that traffic).
 */
export function countingCalls(
  redis: Redis,
  methods: readonly string[],
): { client: Redis; calls: Map<string, number> } {
  const calls = new Map<string, number>(methods.map((m) => [m, 0]));
  const client = new Proxy(redis, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (typeof prop === 'string' && calls.has(prop))
        return (...args: unknown[]) => {
          calls.set(prop, (calls.get(prop) ?? 0) + 1);
          return fn.apply(target, args);
        };
      return fn.bind(target);
    },
  });
  return { client, calls };
}

/**
 * A redis-server of the test's own, for tests that stop or restart Redis (never the shared
 * one); `port` starts it where an earlier one listened, so its clients reconnect to it.
 */
export function ownRedis(port?: number): Promise<PrivateRedis> {
  return startPrivateRedis({
    allowInstall: false,
    notify: () => undefined,
    ...(port === undefined ? {} : { port }),
  });
}

/** Stops a test's own Redis and starts an empty one on its port: a restart without persistence. */
export async function restartEmpty(redis: PrivateRedis): Promise<PrivateRedis> {
  await redis.stop();
  return ownRedis(redis.port);
}

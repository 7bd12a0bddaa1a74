import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

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

/** Deletes only the keys under a test's own prefix. */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

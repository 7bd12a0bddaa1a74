import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Redis } from 'ioredis';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { capturingLogger } from './engine.js';
import { findNeedles, logHaystacks, redisHaystacks, type Needle } from './secrets.js';

/**
 * The secrets search of the fault matrix finds what it looks for: a canary planted in each
 * place it searches (every Redis type, a gzipped change-log chunk, a log line) is found there,
 * and only there.
 */

let redis: Redis;
const prefix = uniquePrefix('canary');

beforeAll(() => {
  redis = testRedis();
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  await redis.quit();
});

const canary = (place: string): Needle => ({ label: place, value: `CANARY-${place}-7f3a9c` });

describe('the secrets search', () => {
  test('finds a canary planted in a Redis string, hash, list, set, zset, stream, gzipped chunk and a log line', async () => {
    const places = ['string', 'hash', 'list', 'set', 'zset', 'stream', 'gzip', 'log'];
    const needles = places.map(canary);
    const v = (p: string) => canary(p).value;
    await redis.set(`${prefix}:s`, `before ${v('string')} after`);
    await redis.hset(`${prefix}:h`, 'field', `{"x":"${v('hash')}"}`);
    await redis.rpush(`${prefix}:l`, 'a', v('list'));
    await redis.sadd(`${prefix}:set`, v('set'));
    await redis.zadd(`${prefix}:z`, 1, v('zset'));
    await redis.xadd(`${prefix}:x`, '*', 'data', v('stream'));
    // as the change log stores its chunks: gzipped JSON in a list
    await redis.rpush(`${prefix}:run:r1:changes`, gzipSync(JSON.stringify([{ note: v('gzip') }])));
    const lines: string[] = [];
    capturingLogger(lines).info({ detail: v('log') }, 'a line');

    const found = findNeedles(
      [...(await redisHaystacks(redis, prefix)), ...logHaystacks('canary', lines)],
      needles,
    );
    expect(found.sort()).toEqual(
      [
        `gzip in redis list ${prefix}:run:r1:changes`,
        `hash in redis hash ${prefix}:h`,
        `list in redis list ${prefix}:l`,
        `log in canary log line 1`,
        `set in redis set ${prefix}:set`,
        `stream in redis stream ${prefix}:x`,
        `string in redis string ${prefix}:s`,
        `zset in redis zset ${prefix}:z`,
      ].sort(),
    );
  });

  test('finds a canary in a key name, and nothing where nothing was planted', async () => {
    const other = uniquePrefix('canary-clean');
    await redis.set(`${other}:${canary('key').value}`, 'x');
    await redis.set(`${other}:clean`, 'nothing secret');
    try {
      const hay = await redisHaystacks(redis, other);
      expect(findNeedles(hay, [canary('key')])).toEqual([
        `key in redis key name ${other}:${canary('key').value}`,
      ]);
      expect(findNeedles(hay, [canary('absent')])).toEqual([]);
    } finally {
      await dropPrefix(redis, other);
    }
  });
});

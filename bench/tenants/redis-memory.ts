import type { Redis } from 'ioredis';

export interface RedisMemory {
  /** INFO memory `used_memory`: everything the server holds, its own overhead included. */
  readonly usedMemoryMB: number;
  /** Keys under the deployment's prefix, and the sum of their MEMORY USAGE. */
  readonly keys: number;
  readonly keysMB: number;
  /** The same by kind of key (ids replaced by `*`), largest first. */
  readonly byKind: readonly { readonly kind: string; readonly keys: number; readonly MB: number }[];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100;

/**
 * A key's kind: its segments after the prefix, with every segment that holds a digit (run ids,
 * profile ids, job ids, slot minutes) as `*`: the names of kinds of keys hold none.
 */
export function keyKind(key: string, prefix: string): string {
  return key
    .slice(prefix.length + 1)
    .split(':')
    .map((s) => (/\d/.test(s) ? '*' : s))
    .join(':');
}

/** What Redis holds for the deployment (one server: the bench's own or REDIS_URL). */
export async function redisMemory(redis: Redis, prefix: string): Promise<RedisMemory> {
  const info = await redis.info('memory');
  const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  const kinds = new Map<string, { keys: number; bytes: number }>();
  let keys = 0;
  let bytes = 0;
  // the prefix's braces are glob characters too: match them literally
  const pattern = `${prefix.replace(/[[\]{}*?\\]/g, '\\$&')}:*`;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const k of found) pipeline.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
    const sizes = (await pipeline.exec()) ?? [];
    found.forEach((k, i) => {
      const size = Number(sizes[i]?.[1] ?? 0);
      const kind = keyKind(k, prefix);
      const entry = kinds.get(kind) ?? { keys: 0, bytes: 0 };
      entry.keys++;
      entry.bytes += size;
      kinds.set(kind, entry);
      keys++;
      bytes += size;
    });
  } while (cursor !== '0');
  return {
    usedMemoryMB: mb(used),
    keys,
    keysMB: mb(bytes),
    byKind: [...kinds]
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, 15)
      .map(([kind, e]) => ({ kind, keys: e.keys, MB: mb(e.bytes) })),
  };
}

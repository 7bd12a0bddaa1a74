import { gunzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';

/** One place the search looked, and its text (gzipped values decompressed). */
export interface Haystack {
  readonly where: string;
  readonly text: string;
}

export interface Needle {
  readonly label: string;
  readonly value: string;
}

/** A value as text; gzip (the change log's chunks) is decompressed first. */
export function textOf(b: Buffer): string {
  if (b.length > 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      return gunzipSync(b).toString('utf8');
    } catch {
      return b.toString('latin1');
    }
  }
  return b.toString('utf8');
}

/** Every key under `prefix` and every value of every type, as text. */
export async function redisHaystacks(redis: Redis, prefix: string): Promise<Haystack[]> {
  const out: Haystack[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      out.push({ where: `redis key name ${key}`, text: key });
      const type = await redis.type(key);
      const where = `redis ${type} ${key}`;
      const values: Buffer[] = [];
      switch (type) {
        case 'string': {
          const v = await redis.getBuffer(key);
          if (v !== null) values.push(v);
          break;
        }
        case 'hash':
          for (const [f, v] of Object.entries(await redis.hgetallBuffer(key))) values.push(Buffer.from(f), v);
          break;
        case 'list':
          values.push(...(await redis.lrangeBuffer(key, 0, -1)));
          break;
        case 'set':
          values.push(...(await redis.smembersBuffer(key)));
          break;
        case 'zset':
          values.push(...(await redis.zrangeBuffer(key, '0', '-1')));
          break;
        case 'stream':
          for (const [id, fields] of await redis.xrangeBuffer(key, '-', '+')) values.push(id, ...fields);
          break;
        case 'none':
          break; // expired between SCAN and TYPE
        default:
          throw new Error(`the secrets search cannot read a Redis ${type} (${key})`);
      }
      for (const v of values) out.push({ where, text: textOf(v) });
    }
  } while (cursor !== '0');
  return out;
}

export function logHaystacks(source: string, lines: readonly string[]): Haystack[] {
  return lines.map((text, n) => ({ where: `${source} log line ${n + 1}`, text }));
}

/** Every needle found, as "label in where" (empty: nothing found). */
export function findNeedles(haystacks: readonly Haystack[], needles: readonly Needle[]): string[] {
  const found: string[] = [];
  const usable = needles.filter((n) => n.value.length >= 6);
  for (const h of haystacks)
    for (const n of usable) if (h.text.includes(n.value)) found.push(`${n.label} in ${h.where}`);
  return found;
}

/** The middle of a PEM key: a line of its base64 body, which no masking could produce. */
export function pemNeedles(label: string, pem: string): Needle[] {
  const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  return [body[1], body[Math.floor(body.length / 2)]]
    .filter((l): l is string => l !== undefined)
    .map((value) => ({ label, value }));
}

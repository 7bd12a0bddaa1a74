import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis/client.js';
import { StoredValueError } from '../errors/stored-value-error.js';
import { parseStored, storedJson, type StoredShape } from './parse-stored.js';
import type { ChunkDigest } from './schemas-parts.js';
import { STORED } from './stored-shapes.js';
import { unzipped, zipped } from './zipped.js';

/**
 * Entries per chunk. A page reads at most two chunks, so it trades Redis reads and gunzip work
 * per page (smaller) for gzip's ratio and list length (larger). Safe to change: the index
 * records each chunk's size, and a list may mix sizes.
 */
export const CHUNK = 1000;

/** Where a chunked list lives: a LIST of gzipped chunks, and a LIST of their digests, index for index. */
export interface ChunkListKeys {
  readonly list: string;
  readonly index: string;
}

/** What a chunk's entries count as: the keys a filter by kind reads from the digest. */
export type DigestOf<T> = (entry: T) => readonly string[];

/** A chunk's place in the list, once it has one. */
interface Slot {
  index: number | undefined;
}

interface Pending<T> {
  readonly slot: Slot;
  readonly entries: readonly T[];
}

export function digestOf<T>(entries: readonly T[], keysOf: DigestOf<T>, attempt?: number): ChunkDigest {
  const by: Record<string, number> = {};
  for (const e of entries) for (const k of keysOf(e)) by[k] = (by[k] ?? 0) + 1;
  return { n: entries.length, by, ...(attempt === undefined ? {} : { a: attempt }) };
}

/**
 * Appends entries to a chunked list in chunks of CHUNK: full chunks are pushed once; the last,
 * open chunk is pushed when first stored and rewritten in place (LSET) as it grows, so a page
 * is found from the digests alone and a crash loses only what was never stored. One writer
 * appends to a list at a time (the profile lock), so it knows where each chunk lands.
 */
export class ChunkWriter<T> {
  #open: T[] = [];
  #slot: Slot = { index: undefined };
  #dirty = false;
  #ready: Pending<T>[] = [];
  #next = 0;

  constructor(
    private readonly keys: ChunkListKeys,
    private readonly shape: StoredShape<T[]>,
    private readonly keysOf: DigestOf<T>,
    private readonly attempt?: number,
  ) {}

  /** The list's length when this writer starts appending to it. */
  startAt(length: number): void {
    this.#next = length;
  }

  add(entry: T): void {
    this.#open.push(entry);
    this.#dirty = true;
    if (this.#open.length >= CHUNK) {
      this.#ready.push({ slot: this.#slot, entries: this.#open });
      this.#open = [];
      this.#slot = { index: undefined };
      this.#dirty = false;
    }
  }

  /** Whether a full chunk waits to be stored. */
  get hasFull(): boolean {
    return this.#ready.length > 0;
  }

  /** Queues on `m` the writes of what changed since the last call. */
  writeTo(m: ChainableCommander): void {
    const pending = [...this.#ready];
    if (this.#dirty) pending.push({ slot: this.#slot, entries: [...this.#open] });
    this.#ready = [];
    this.#dirty = false;
    for (const p of pending) {
      const chunk = zipped(this.shape, [...p.entries]);
      const digest = storedJson(STORED.chunkDigest, digestOf(p.entries, this.keysOf, this.attempt));
      if (p.slot.index === undefined) {
        p.slot.index = this.#next++;
        m.rpush(this.keys.list, chunk);
        m.rpush(this.keys.index, digest);
      } else {
        m.lset(this.keys.list, p.slot.index, chunk);
        m.lset(this.keys.index, p.slot.index, digest);
      }
    }
  }
}

/** Reads a chunked list: its digests, and chunks by position. */
export class ChunkReader<T> {
  constructor(
    private readonly redis: RedisClient,
    readonly keys: ChunkListKeys,
    private readonly shape: StoredShape<T[]>,
  ) {}

  async digests(): Promise<ChunkDigest[]> {
    const raw = await this.redis.lrange(this.keys.index, 0, -1);
    return raw.map((d, i) => parseStored(STORED.chunkDigest, `${this.keys.index} entry ${i}`, d));
  }

  /** Chunks `from` to `to` (inclusive), in order. */
  async chunks(from: number, to: number): Promise<T[][]> {
    const raw = await this.redis.lrangeBuffer(this.keys.list, from, to);
    return raw.map((c, i) => unzipped(this.shape, `${this.keys.list} entry ${from + i}`, c));
  }

  /** The chunks at these positions, in the order given (one round trip). */
  async chunksAt(positions: readonly number[]): Promise<T[][]> {
    if (positions.length === 0) return [];
    const p = this.redis.pipeline();
    for (const i of positions) p.lindexBuffer(this.keys.list, i);
    const answers = (await p.exec()) ?? [];
    return answers.map(([err, raw], n) => {
      if (err !== null) throw err;
      const where = `${this.keys.list} entry ${positions[n] ?? n}`;
      if (!Buffer.isBuffer(raw)) throw new StoredValueError(where, 'missing');
      return unzipped(this.shape, where, raw);
    });
  }

  /** How many chunks the list and its index hold (equal, unless an older version wrote the list). */
  async lengths(): Promise<{ list: number; index: number }> {
    const [list, index] = await Promise.all([
      this.redis.llen(this.keys.list),
      this.redis.llen(this.keys.index),
    ]);
    return { list, index };
  }
}

/** Chunks read per round trip when a whole list is read. */
const READ_BATCH = 8;

/** Every chunk of a list, in order, a few at a time. */
export async function* allChunks<T>(reader: ChunkReader<T>, length: number): AsyncGenerator<T[]> {
  for (let i = 0; i < length; i += READ_BATCH)
    for (const chunk of await reader.chunks(i, Math.min(length, i + READ_BATCH) - 1)) yield chunk;
}

/** Writes a whole list afresh (a migrated one): chunks of CHUNK and their digests, in one transaction. */
export function rewriteList<T>(
  m: ChainableCommander,
  keys: ChunkListKeys,
  shape: StoredShape<T[]>,
  keysOf: DigestOf<T>,
  entries: readonly T[],
): void {
  m.del(keys.list, keys.index);
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    m.rpush(keys.list, zipped(shape, chunk));
    m.rpush(keys.index, storedJson(STORED.chunkDigest, digestOf(chunk, keysOf)));
  }
}

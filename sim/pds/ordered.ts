import { invalid } from './errors.js';

interface Entry<V> {
  readonly id: string;
  readonly seq: number;
  value: V;
  alive: boolean;
}

export interface OrderedPage<V> {
  readonly items: readonly (readonly [string, V])[];
  /** Sequence number of the first item of the next page; undefined on the last page. */
  readonly next: number | undefined;
}

/** Tombstones are swept once they are this many and outnumber the living. */
const SWEEP_AT = 1024;

/**
 * A map keyed by id that lists in insertion order from a position: the storage of every PDS
 * listing. Lookups are O(1); a page is O(log n + page) (binary search on the sequence number),
 * so a listing stays stable while items are added or deleted between pages.
 */
export class OrderedMap<V> {
  readonly #byId = new Map<string, Entry<V>>();
  #order: Entry<V>[] = [];
  #nextSeq = 1;
  #dead = 0;

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): V | undefined {
    return this.#byId.get(id)?.value;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Replaces the value in place (same position) or appends. */
  set(id: string, value: V): void {
    const entry = this.#byId.get(id);
    if (entry !== undefined) {
      entry.value = value;
      return;
    }
    const created: Entry<V> = { id, seq: this.#nextSeq++, value, alive: true };
    this.#byId.set(id, created);
    this.#order.push(created);
  }

  delete(id: string): boolean {
    const entry = this.#byId.get(id);
    if (entry === undefined) return false;
    entry.alive = false;
    this.#byId.delete(id);
    this.#dead++;
    if (this.#dead >= SWEEP_AT && this.#dead > this.#byId.size) {
      this.#order = this.#order.filter((e) => e.alive);
      this.#dead = 0;
    }
    return true;
  }

  clear(): void {
    this.#byId.clear();
    this.#order = [];
    this.#dead = 0;
  }

  *entries(): IterableIterator<readonly [string, V]> {
    for (const e of this.#order) if (e.alive) yield [e.id, e.value];
  }

  *values(): IterableIterator<V> {
    for (const e of this.#order) if (e.alive) yield e.value;
  }

  keys(): string[] {
    return this.#order.filter((e) => e.alive).map((e) => e.id);
  }

  /**
   * Up to `limit` items from sequence number `from` on, keeping those `accept` takes. Looks one
   * item ahead, so the last page says so (no trailing empty page).
   */
  page(from: number, limit: number, accept?: (value: V) => boolean): OrderedPage<V> {
    const items: (readonly [string, V])[] = [];
    for (let i = this.#lowerBound(from); i < this.#order.length; i++) {
      const e = this.#order[i];
      if (e === undefined || !e.alive || (accept !== undefined && !accept(e.value))) continue;
      if (items.length === limit) return { items, next: e.seq };
      items.push([e.id, e.value]);
    }
    return { items, next: undefined };
  }

  #lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#order[mid]?.seq ?? Infinity) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Markers are opaque to clients: a kind letter and a sequence number, base64url-encoded. */
export function encodeMarker(kind: string, seq: number): string {
  return Buffer.from(`${kind}:${seq}`).toString('base64url');
}

export function decodeMarker(marker: string, kinds: readonly string[]): { kind: string; seq: number } {
  const m = /^([a-z]):(\d{1,15})$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
  const kind = m?.[1];
  if (m === null || kind === undefined || !kinds.includes(kind)) throw invalid('marker');
  return { kind, seq: Number(m[2]) };
}

import type { RedisClient } from '../redis/client.js';
import { RunDepartments } from '../report/departments.js';
import type { HeldEntry, RunSummary } from '../report/summary.js';
import type { RunChange } from '../report/types.js';
import { changeListKeys, failureListKeys } from './change-log-store.js';
import { ChunkReader, type ChunkListKeys } from './chunk-list.js';
import type { StateKeys } from './keys.js';
import {
  countKeys,
  entryMatcher,
  type ListEntry,
  type ListFilter,
  type ListQuery,
  type RunListName,
} from './list-filter.js';
import { readDepartments } from './run-departments.js';
import type { ChunkDigest } from './schemas-parts.js';
import { STORED } from './stored-shapes.js';

/** One page of a run's list. */
export interface ListPage<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly pageSize: number;
  /**
   * Every match. Known from the chunks' digests when the filter is by kind alone; with a name or
   * department filter, known only when the search read to the end of the list.
   */
  readonly total: number | undefined;
  /** Whether a later page holds more. */
  readonly more: boolean;
}

/** Chunks read per round trip while a filter searches. */
const SEARCH_BATCH = 4;

export const heldListKeys = (keys: StateKeys, runId: string): ChunkListKeys => ({
  list: keys.runHeld(runId),
  index: keys.runHeldIndex(runId),
});

/** The run's attempt whose failures stand (a recovered run's earlier failures were retried). */
const attemptOf = (s: Pick<RunSummary, 'attempt'>) => s.attempt;

/** How many of a chunk's entries may match, from its digest alone (exact without a residual filter). */
function bound(d: ChunkDigest, prefix: string, keys: readonly string[] | undefined): number {
  if (keys !== undefined) return keys.reduce((n, k) => n + (d.by[k] ?? 0), 0);
  if (prefix === '') return d.n;
  let n = 0;
  for (const [k, v] of Object.entries(d.by)) if (k.startsWith(prefix)) n += v;
  return n;
}

/**
 * A run's change log, failures and held changes, read a page at a time from their chunks: the
 * digests say which chunks hold the page, so a page reads one or two chunks, never the list.
 * A name or department filter reads chunks in order until the page is full.
 */
export class RunLists {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async departments(runId: string): Promise<RunDepartments> {
    return new RunDepartments(await readDepartments(this.redis, this.keys, runId));
  }

  #reader(list: RunListName, runId: string): ChunkReader<HeldEntry> | ChunkReader<RunChange> {
    return list === 'held'
      ? new ChunkReader(this.redis, heldListKeys(this.keys, runId), STORED.heldChunk)
      : new ChunkReader(
          this.redis,
          (list === 'failures' ? failureListKeys : changeListKeys)(this.keys, runId),
          STORED.changeChunk,
        );
  }

  /** Each chunk's upper bound of matches (0 for a chunk of an attempt whose failures were retried). */
  async #bounds(list: RunListName, run: RunSummary, f: ListFilter): Promise<number[]> {
    const digests = await this.#reader(list, run.runId).digests();
    const { prefix, keys } = countKeys(list, f);
    const attempt = attemptOf(run);
    return digests.map((d) =>
      list === 'failures' && attempt !== undefined && d.a !== undefined && d.a !== attempt
        ? 0
        : bound(d, prefix, keys),
    );
  }

  async page<N extends RunListName>(
    list: N,
    run: RunSummary,
    q: ListQuery,
    departments: RunDepartments,
  ): Promise<ListPage<ListEntry<N>>> {
    const bounds = await this.#bounds(list, run, q);
    const match = entryMatcher(list, q, departments);
    const reader = this.#reader(list, run.runId);
    const skip = (q.page - 1) * q.pageSize;
    const paging = { page: q.page, pageSize: q.pageSize };
    if (!countKeys(list, q).residual) {
      const total = bounds.reduce((a, b) => a + b, 0);
      // the chunks whose matches overlap [skip, skip + pageSize), and how many matches precede each
      const wanted: number[] = [];
      let before = 0;
      let firstBefore = 0;
      bounds.forEach((n, i) => {
        if (n > 0 && before + n > skip && before < skip + q.pageSize) {
          if (wanted.length === 0) firstBefore = before;
          wanted.push(i);
        }
        before += n;
      });
      const chunks = await reader.chunksAt(wanted);
      const matches = chunks.flatMap((c) => (c as (HeldEntry | RunChange)[]).filter(match));
      const from = skip - firstBefore;
      const items = matches.slice(from, from + q.pageSize) as ListEntry<N>[];
      return { ...paging, items, total, more: skip + items.length < total };
    }
    // a name or department filter: read the chunks that may match, in order, until the page is full
    const candidates = bounds.flatMap((n, i) => (n > 0 ? [i] : []));
    const found: ListEntry<N>[] = [];
    let read = 0;
    while (read < candidates.length && found.length <= skip + q.pageSize) {
      const batch = candidates.slice(read, read + SEARCH_BATCH);
      read += batch.length;
      for (const chunk of await reader.chunksAt(batch))
        for (const e of chunk as (HeldEntry | RunChange)[]) if (match(e)) found.push(e as ListEntry<N>);
    }
    const items = found.slice(skip, skip + q.pageSize);
    const complete = read >= candidates.length;
    return {
      ...paging,
      items,
      total: complete ? found.length : undefined,
      more: found.length > skip + q.pageSize,
    };
  }

  /** Every matching entry, in order, a few chunks at a time (the CSV export, `--json`). */
  async *entries<N extends RunListName>(
    list: N,
    run: RunSummary,
    f: ListFilter,
    departments: RunDepartments,
  ): AsyncGenerator<ListEntry<N>> {
    const bounds = await this.#bounds(list, run, f);
    const match = entryMatcher(list, f, departments);
    const reader = this.#reader(list, run.runId);
    const candidates = bounds.flatMap((n, i) => (n > 0 ? [i] : []));
    for (let i = 0; i < candidates.length; i += SEARCH_BATCH)
      for (const chunk of await reader.chunksAt(candidates.slice(i, i + SEARCH_BATCH)))
        for (const e of chunk as (HeldEntry | RunChange)[]) if (match(e)) yield e as ListEntry<N>;
  }

  /** How many entries each list holds (from the digests alone). */
  async totals(run: RunSummary): Promise<Record<RunListName, number>> {
    const [changes, held, failures] = await Promise.all(
      (['changes', 'held', 'failures'] as const).map(async (l) =>
        (await this.#bounds(l, run, {})).reduce((a, b) => a + b, 0),
      ),
    );
    return { changes: changes ?? 0, held: held ?? 0, failures: failures ?? 0 };
  }
}

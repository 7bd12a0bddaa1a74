import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis/client.js';
import type { RunPeople, SeenDepartment } from '../report/people.js';
import type { StateKeys } from './keys.js';
import { STORED } from './stored-shapes.js';
import { unzipped, zipped } from './zipped.js';

/** Ancestors followed at most when a department is added (a loop in a snapshot ends there). */
const MAX_DEPTH = 64;

/**
 * The departments a run's records name, with their ancestors, kept beside the run
 * (`run:<id>:departments`): the run page shows names and paths from it, and filters by it.
 */
export class DepartmentSet {
  readonly #known = new Map<number, SeenDepartment>();
  #changed = false;

  /** Keeps the departments an earlier attempt stored (they are already in Redis). */
  include(earlier: readonly SeenDepartment[]): void {
    for (const d of earlier) if (!this.#known.has(d.id)) this.#known.set(d.id, d);
  }

  /** Adds departments (and their ancestors) a record names, as the run's snapshots show them. */
  add(ids: readonly number[], people: Pick<RunPeople, 'department'>): void {
    for (const id of ids) {
      let next: number | undefined = id;
      for (let i = 0; next !== undefined && !this.#known.has(next) && i < MAX_DEPTH; i++) {
        const d = people.department(next);
        if (d === undefined) break;
        this.#known.set(d.id, d);
        this.#changed = true;
        next = d.parentId;
      }
    }
  }

  /** Queues the set's write on `m` when it gained a department since the last write. */
  writeTo(m: ChainableCommander, key: string): void {
    if (!this.#changed) return;
    this.#changed = false;
    m.set(key, zipped(STORED.departments, [...this.#known.values()]));
  }
}

/** The departments stored beside a run (none when it named none). */
export async function readDepartments(
  redis: RedisClient,
  keys: StateKeys,
  runId: string,
): Promise<SeenDepartment[]> {
  const key = keys.runDepartments(runId);
  const raw = await redis.getBuffer(key);
  return raw === null ? [] : unzipped(STORED.departments, key, raw);
}

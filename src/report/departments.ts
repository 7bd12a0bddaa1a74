import type { SeenDepartment } from './people.js';
import type { Person } from './types.js';

/** How a path reads: the department names from the top down. */
export const PATH_SEP = ' / ';

/** Ancestors a path follows at most (a loop in stored data ends there, not in a hang). */
const MAX_DEPTH = 64;

/**
 * The departments a run's records name, with their ancestors: names and paths shown instead of
 * ids, and the department filter of the run's lists (a department and everything under it).
 */
export class RunDepartments {
  readonly #byId: ReadonlyMap<number, SeenDepartment>;
  #children: Map<number, number[]> | undefined;

  constructor(departments: readonly SeenDepartment[]) {
    this.#byId = new Map(departments.map((d) => [d.id, d]));
  }

  get size(): number {
    return this.#byId.size;
  }

  all(): SeenDepartment[] {
    return [...this.#byId.values()];
  }

  has(id: number): boolean {
    return this.#byId.has(id);
  }

  name(id: number): string {
    return this.#byId.get(id)?.name ?? String(id);
  }

  /** The names from the top department down to this one; the id when the run did not see it. */
  path(id: number): string[] {
    const names: string[] = [];
    let d = this.#byId.get(id);
    if (d === undefined) return [String(id)];
    for (let i = 0; d !== undefined && i < MAX_DEPTH; i++) {
      names.unshift(d.name);
      d = d.parentId === undefined ? undefined : this.#byId.get(d.parentId);
    }
    return names;
  }

  label(id: number): string {
    return this.path(id).join(PATH_SEP);
  }

  /** This department and every one under it. */
  subtree(id: number): Set<number> {
    if (this.#children === undefined) {
      this.#children = new Map();
      for (const d of this.#byId.values()) {
        if (d.parentId === undefined) continue;
        const list = this.#children.get(d.parentId) ?? [];
        list.push(d.id);
        this.#children.set(d.parentId, list);
      }
    }
    const out = new Set<number>([id]);
    const queue = [id];
    for (let next = queue.pop(); next !== undefined; next = queue.pop())
      for (const c of this.#children.get(next) ?? [])
        if (!out.has(c)) {
          out.add(c);
          queue.push(c);
        }
    return out;
  }

  /**
   * The departments a filter names, each with everything under it: an id, a name, or a path
   * (`总部 / 研发`), compared without case. Undefined when nothing matches.
   */
  matching(query: string): Set<number> | undefined {
    const q = query.trim().toLowerCase();
    if (q === '') return undefined;
    const ids = /^\d+$/.test(q)
      ? [Number(q)]
      : this.all()
          .filter((d) => d.name.toLowerCase() === q || this.label(d.id).toLowerCase() === q)
          .map((d) => d.id);
    if (ids.length === 0) return undefined;
    const out = new Set<number>();
    for (const id of ids) for (const d of this.subtree(id)) out.add(d);
    return out;
  }
}

/** A stored record's person, for the words of the CLI and the notifications. */
export function entryPerson(
  e: {
    readonly userid?: string | undefined;
    readonly dingtalkUserId?: string | undefined;
    readonly pdsUserId?: string | undefined;
    readonly name?: string | undefined;
    readonly deptIds?: readonly number[] | undefined;
    readonly departments?: readonly string[] | undefined;
  },
  departments: RunDepartments,
): Person {
  return {
    userid: e.userid ?? e.dingtalkUserId ?? e.pdsUserId ?? '',
    name: e.name ?? '',
    departments: e.deptIds?.map((d) => departments.name(d)) ?? e.departments ?? [],
  };
}

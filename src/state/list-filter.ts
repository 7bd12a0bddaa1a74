import type { RunDepartments } from '../report/departments.js';
import type { HeldEntry } from '../report/summary.js';
import type { RunChange } from '../report/types.js';

/** The lists of a run read a page at a time. */
export const RUN_LISTS = ['changes', 'held', 'failures'] as const;
export type RunListName = (typeof RUN_LISTS)[number];

/** What a list entry is, by list. */
export type ListEntry<N extends RunListName> = N extends 'held' ? HeldEntry : RunChange;

/** How a run's list is filtered: each part optional, all of them applying. */
export interface ListFilter {
  /** Part of a name, a DingTalk userid or a PDS user id (any case). */
  readonly q?: string | undefined;
  /** A change's action type (`create`, `disable`, …), or a held change's kind (`clearPhone`, …). */
  readonly action?: string | undefined;
  /** A department by id, name or path: records in it or under it. */
  readonly department?: string | undefined;
  /** Held changes only: those an approval did not cover. */
  readonly notApproved?: boolean | undefined;
}

export interface ListQuery extends ListFilter {
  readonly page: number;
  readonly pageSize: number;
}

const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase();

/**
 * The digest keys whose sum counts a chunk's matches exactly, when the filter is by kind alone:
 * the page is then found from the digests. Undefined keys: no kind filter (every entry of the
 * list counts), and `residual` says a name or department filter also applies (the counts are
 * then an upper bound, and the chunks are read to find the page).
 */
export function countKeys(
  list: RunListName,
  f: ListFilter,
): { readonly prefix: string; readonly keys: readonly string[] | undefined; readonly residual: boolean } {
  const residual = norm(f.q) !== '' || norm(f.department) !== '';
  const action = f.action === undefined || f.action === '' ? undefined : f.action;
  if (list === 'held') {
    if (f.notApproved === true)
      return { prefix: '', keys: [action === undefined ? 'notApproved' : `notApproved:${action}`], residual };
    return { prefix: '', keys: action === undefined ? undefined : [action], residual };
  }
  const prefix = list === 'failures' ? 'f:' : 'c:';
  return { prefix, keys: action === undefined ? undefined : [`${prefix}${action}`], residual };
}

/** The digest keys of a held entry (see countKeys). */
export const heldDigestKeys = (e: HeldEntry): readonly string[] =>
  e.notApproved === true ? [e.kind, 'notApproved', `notApproved:${e.kind}`] : [e.kind];

const isChange = (e: HeldEntry | RunChange): e is RunChange => 'action' in e;

/** The text a search looks in: the name, both ids, and a group's name. */
function searched(e: HeldEntry | RunChange): (string | undefined)[] {
  if (!isChange(e)) return [e.name, e.userid, e.pdsUserId];
  const group = 'name' in e.action ? e.action.name : undefined;
  return [e.name, e.dingtalkUserId, e.pdsUserId, group];
}

/** Whether an entry passes the whole filter (its kind included), against the run's departments. */
export function entryMatcher(
  list: RunListName,
  f: ListFilter,
  departments: RunDepartments,
): (e: HeldEntry | RunChange) => boolean {
  const q = norm(f.q);
  const dept = norm(f.department);
  const inDepts = dept === '' ? undefined : departments.matching(dept);
  const action = f.action === undefined || f.action === '' ? undefined : f.action;
  return (e) => {
    if (isChange(e)) {
      if ((list === 'failures') !== (e.failure !== undefined)) return false;
      if (action !== undefined && e.action.type !== action) return false;
    } else {
      if (action !== undefined && e.kind !== action) return false;
      if (f.notApproved === true && e.notApproved !== true) return false;
    }
    if (dept !== '') {
      const byId = inDepts !== undefined && (e.deptIds ?? []).some((d) => inDepts.has(d));
      const byName = (e.departments ?? []).some((n) => n.toLowerCase() === dept);
      if (!byId && !byName) return false;
    }
    return q === '' || searched(e).some((v) => v !== undefined && v.toLowerCase().includes(q));
  };
}

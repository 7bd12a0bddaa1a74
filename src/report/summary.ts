import { riskyKey, type RiskyKind } from '../gate/breaker.js';
import type { HeldInfo, RunReport } from './types.js';

/**
 * A run as the lists, the status views, the job's return value and the notifications read it:
 * everything but its bulky parts (changes, failures, held changes, re-entries, all warnings),
 * which are stored apart and read a page at a time (src/state/run-lists.ts). It names no person.
 */

/** Warnings a summary carries; the run's page reads them all. Safe to change. */
export const SUMMARY_WARNINGS = 10;

/** A hold, counted: its list of changes is stored apart. */
export interface HeldSummary {
  readonly wholeRun: boolean;
  readonly by: HeldInfo['by'];
  readonly code?: HeldInfo['code'];
  resolution?: HeldInfo['resolution'];
  /** Every held change, and how many of each kind. */
  readonly total: number;
  readonly kinds: Readonly<Record<RiskyKind, number>>;
  /** Of those, how many an earlier approval did not cover. */
  readonly notApproved: number;
}

export type RunSummary = Omit<
  RunReport,
  'changes' | 'failures' | 'changesTruncated' | 'failuresTruncated' | 'held' | 'reentries'
> & {
  held?: HeldSummary;
  /** How many warnings the run has; `warnings` holds the first SUMMARY_WARNINGS. */
  readonly warningCount: number;
};

/** One held change as stored: the person named once, with a mark when an approval did not cover it. */
export interface HeldEntry {
  readonly kind: RiskyKind;
  readonly userid: string;
  readonly pdsUserId: string;
  readonly name?: string;
  readonly deptIds?: readonly number[];
  /** Department names, where an older version named them without ids (a migrated report). */
  readonly departments?: readonly string[];
  readonly notApproved?: true;
}

const countKinds = (changes: readonly { kind: RiskyKind }[]): Record<RiskyKind, number> => {
  const kinds = { disable: 0, clearPhone: 0, clearEmail: 0 };
  for (const c of changes) kinds[c.kind]++;
  return kinds;
};

function heldSummary(h: HeldInfo): HeldSummary {
  return {
    wholeRun: h.wholeRun,
    by: h.by,
    ...(h.code === undefined ? {} : { code: h.code }),
    ...(h.resolution === undefined ? {} : { resolution: h.resolution }),
    total: h.changes.length,
    kinds: countKinds(h.changes),
    notApproved: h.notApproved.length,
  };
}

/** The summary of a report: its bulky parts left out, counted. */
export function summaryOf(r: RunReport): RunSummary {
  const {
    changes: _c,
    failures: _f,
    changesTruncated: _ct,
    failuresTruncated: _ft,
    held,
    reentries: _r,
    warnings,
    ...rest
  } = r;
  return {
    ...rest,
    warnings: warnings.slice(0, SUMMARY_WARNINGS),
    warningCount: warnings.length,
    ...(held === undefined ? {} : { held: heldSummary(held) }),
  };
}

/** A hold's changes as one list: each person once, marked when the approval did not cover them. */
export function heldEntriesOf(h: HeldInfo): HeldEntry[] {
  const notApproved = new Set(h.notApproved.map(riskyKey));
  return h.changes.map((c) => ({
    kind: c.kind,
    userid: c.userid,
    pdsUserId: c.pdsUserId,
    ...(c.person === undefined || c.person.name === '' ? {} : { name: c.person.name }),
    ...(c.person?.deptIds !== undefined
      ? { deptIds: c.person.deptIds }
      : c.person === undefined || c.person.departments.length === 0
        ? {}
        : { departments: c.person.departments }),
    ...(notApproved.has(riskyKey(c)) ? { notApproved: true as const } : {}),
  }));
}

import type { Hold } from '../gate/gate-run.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { Plan } from '../plan/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import { personFinder } from './people.js';
import { plannedCounts } from './planned-counts.js';
import { runStatus } from './status.js';
import {
  APPLIED_COUNTS,
  zeroCounts,
  type GraceEntry,
  type HeldInfo,
  type Person,
  type Recovery,
  type Reentry,
  type RunChange,
  type RunCounts,
  type RunError,
  type RunFailure,
  type RunReport,
  type RunTrigger,
  type ReportWarning,
} from './types.js';
import { noticeWarnings, warning, wouldHoldWarning } from './warnings.js';

/** Warnings a report carries inline. */
const WARNINGS_CAP = 200;

/** What a run wrote down while it went: the apply outcome (counts, the first changes and failures). */
export interface RunRecordView {
  readonly counts: Readonly<RunCounts>;
  readonly failures: readonly RunFailure[];
  readonly changes: readonly RunChange[];
  readonly changesTruncated: boolean;
  readonly failuresTruncated: boolean;
}

/** A person back in scope, before the report names them. */
export type ReentrySeen = Omit<Reentry, keyof Person> & { readonly userid: string };

/** A person in grace, before the report names them. */
export type GraceSeen = Omit<GraceEntry, keyof Person> & { readonly userid: string };

/** People a report lists by name (re-entries, grace); the count has them all. */
const NAMED_CAP = 1000;

/** The values a run's steps returned; a step the run did not reach left its value out. */
export interface RunFacts {
  readonly request: {
    readonly runId: string;
    readonly profileId: string;
    readonly trigger: RunTrigger;
    readonly dryRun: boolean;
    readonly deep: boolean;
    readonly approvedRunId?: string | undefined;
    readonly configFingerprint?: string | undefined;
    readonly startedBy?: string | undefined;
    /** Which attempt of the run this is. @defaultValue 1 */
    readonly attempt?: number | undefined;
  };
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Both sides, once read: the source's size, and the people the report names. */
  readonly snapshots?: { readonly source: SourceSnapshot; readonly target: TargetSnapshot } | undefined;
  /** Warnings of the read (fields the app may not read). */
  readonly warnings?: readonly ReportWarning[] | undefined;
  readonly plan?: Plan | undefined;
  readonly hold?: Hold | undefined;
  readonly reentries?: readonly ReentrySeen[] | undefined;
  /** Absent people whose grace is running. */
  readonly grace?: readonly GraceSeen[] | undefined;
  readonly record?: RunRecordView | undefined;
  /** What earlier attempts of this run applied (their counts are added). */
  readonly recovered?: Recovery | undefined;
  readonly error?: RunError | undefined;
  /** The older held run of the profile this hold replaced. */
  readonly supersededHold?: string | undefined;
  readonly apiCalls?: RunReport['apiCalls'] | undefined;
  readonly timings?: NonNullable<RunReport['timings']> | undefined;
  readonly linkReads?: RunReport['linkReads'] | undefined;
}

const countOf = (notices: Plan['notices'], kind: 'reentered' | 'keptEnabledByAdmin') =>
  notices.filter((n) => n.kind === kind).length;

function countsOf(f: RunFacts): RunCounts {
  const c = zeroCounts();
  if (f.plan !== undefined) {
    c.unchanged = f.plan.unchanged;
    c.unmanagedSkipped = f.plan.unmanagedSkipped;
    c.reentered = countOf(f.plan.notices, 'reentered');
    c.keptEnabledByAdmin = countOf(f.plan.notices, 'keptEnabledByAdmin');
  }
  if (f.record !== undefined) {
    for (const k of APPLIED_COUNTS) c[k] = f.record.counts[k];
    c.failed = f.record.counts.failed;
  }
  if (f.recovered !== undefined) for (const k of APPLIED_COUNTS) c[k] += f.recovered.earlier[k];
  return c;
}

function heldInfo(hold: Hold, person: (userid: string) => Person): HeldInfo {
  const named = <T extends { userid: string }>(x: T) => ({ ...x, person: person(x.userid) });
  return {
    changes: hold.changes.map(named),
    notApproved: hold.notApproved.map(named),
    wholeRun: hold.wholeRun,
    by: hold.by,
    code: hold.code,
  };
}

const departmentName =
  (source: SourceSnapshot) =>
  (deptId: number): string =>
    source.departments.get(deptId)?.name ?? String(deptId);

/** The run report, assembled once from the values of the run's steps. */
export function buildReport(f: RunFacts): RunReport {
  const { request: r, plan, hold, record, recovered } = f;
  const person = f.snapshots === undefined ? undefined : personFinder(f.snapshots.source, f.snapshots.target);
  const status = runStatus({
    failed: f.error !== undefined,
    dryRun: r.dryRun,
    heldBy: hold?.by,
    failedRecords: record?.counts.failed ?? 0,
  });
  const warnings = [
    ...(f.warnings ?? []),
    ...(plan === undefined
      ? []
      : noticeWarnings(
          plan.notices,
          WARNINGS_CAP,
          person === undefined || f.snapshots === undefined
            ? undefined
            : { person, department: departmentName(f.snapshots.source) },
        )),
    ...(r.dryRun && hold?.by === 'breaker' ? [wouldHoldWarning(hold.reason)] : []),
    ...(f.supersededHold === undefined ? [] : [warning('hold_superseded', { runId: f.supersededHold })]),
  ];
  const failures = (record?.failures ?? []).map((x) =>
    x.dingtalkUserId === undefined || person === undefined ? x : { ...x, person: person(x.dingtalkUserId) },
  );
  return {
    runId: r.runId,
    attempt: r.attempt ?? 1,
    profileId: r.profileId,
    trigger: r.trigger,
    ...(r.approvedRunId === undefined ? {} : { approvedRunId: r.approvedRunId }),
    ...(r.configFingerprint === undefined ? {} : { configFingerprint: r.configFingerprint }),
    dryRun: r.dryRun,
    deep: r.deep,
    status,
    startedAt: f.startedAt.toISOString(),
    finishedAt: f.finishedAt.toISOString(),
    source: {
      users: f.snapshots?.source.users.size ?? 0,
      departments: f.snapshots?.source.departments.size ?? 0,
    },
    counts: countsOf(f),
    ...(plan === undefined ? {} : { planned: plannedCounts(plan) }),
    ...(f.reentries === undefined || person === undefined
      ? {}
      : {
          reentries: f.reentries.map((x) => ({
            ...person(x.userid),
            pdsUserId: x.pdsUserId,
            since: x.since,
          })),
        }),
    ...(f.grace === undefined || f.grace.length === 0 || person === undefined
      ? {}
      : {
          grace: f.grace.slice(0, NAMED_CAP).map((x) => ({
            ...person(x.userid),
            pdsUserId: x.pdsUserId,
            since: x.since,
            until: x.until,
          })),
        }),
    warnings,
    failures,
    changes: [...(record?.changes ?? [])],
    // with earlier attempts counted, the inline list holds this attempt's; the log has them all
    changesTruncated: (record?.changesTruncated ?? false) || recovered !== undefined,
    ...(record?.failuresTruncated === true ? { failuresTruncated: true } : {}),
    ...(hold === undefined
      ? {}
      : {
          heldReason: hold.reason,
          held: heldInfo(hold, person ?? ((userid) => ({ userid, name: '', departments: [] }))),
        }),
    ...(f.error === undefined ? {} : { error: f.error }),
    apiCalls: f.apiCalls ?? { dingtalk: {}, pds: {} },
    ...(f.timings === undefined ? {} : { planMs: f.timings.plan, timings: f.timings }),
    ...(recovered === undefined ? {} : { recovered }),
    ...(f.linkReads === undefined ? {} : { linkReads: f.linkReads }),
    ...(r.startedBy === undefined ? {} : { actors: { startedBy: r.startedBy } }),
  };
}

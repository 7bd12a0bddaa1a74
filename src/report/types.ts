export type { HeldReason, HoldCode } from '../gate/held-reason.js';
export type { AdoptedBy, ChangeAction, ChangeType } from '../plan/change-action.js';
import type { RiskyChange } from '../gate/breaker.js';
import type { HeldReason, HoldCode } from '../gate/held-reason.js';
import type { Params } from '../i18n/catalog.js';
import type { Coded } from '../i18n/coded.js';
import type { ChangeAction } from '../plan/change-action.js';
import type { PlanNotice } from '../plan/types.js';
import type { Problem } from '../errors/problem.js';
import type { FailureKind } from '../errors/record-failure.js';

export type RunStatus = 'succeeded' | 'succeeded_with_errors' | 'failed' | 'held' | 'rejected' | 'superseded';
/** `grace`: the delayed run that reads again the people whose unexplained absence's grace ended. */
export type RunTrigger = 'manual' | 'schedule' | 'approval' | 'grace';

export interface RunCounts {
  created: number;
  updated: number;
  disabled: number;
  unchanged: number;
  reentered: number;
  keptEnabledByAdmin: number;
  adopted: number;
  failed: number;
  unmanagedSkipped: number;
  groupsCreated: number;
  groupsUpdated: number;
  membershipsAdded: number;
  membershipsRemoved: number;
  linksAdded: number;
  linksRemoved: number;
  /** Users whose only change was joining or leaving groups. */
  membershipOnly: number;
}

export const zeroCounts = (): RunCounts => ({
  created: 0,
  updated: 0,
  disabled: 0,
  unchanged: 0,
  reentered: 0,
  keptEnabledByAdmin: 0,
  adopted: 0,
  failed: 0,
  unmanagedSkipped: 0,
  groupsCreated: 0,
  groupsUpdated: 0,
  membershipsAdded: 0,
  membershipsRemoved: 0,
  linksAdded: 0,
  linksRemoved: 0,
  membershipOnly: 0,
});

/** The counts of writes made (as opposed to counts known from the plan alone). */
export const APPLIED_COUNTS = [
  'created',
  'updated',
  'disabled',
  'adopted',
  'groupsCreated',
  'groupsUpdated',
  'membershipsAdded',
  'membershipsRemoved',
  'linksAdded',
  'linksRemoved',
  'membershipOnly',
] as const satisfies readonly (keyof RunCounts)[];

export type AppliedCounts = Record<(typeof APPLIED_COUNTS)[number], number>;

/** What the plan would write, counted like the applied counts, plus the records it knows will fail. */
export type PlannedCounts = AppliedCounts & { failed: number };

/** A person a report names: never a phone or an email. */
export interface Person {
  readonly userid: string;
  readonly name: string;
  /** Department names (DingTalk's; for people who left, the PDS groups they were in). */
  readonly departments: readonly string[];
  /** The same departments by DingTalk id (absent where an older version stored names only). */
  readonly deptIds?: readonly number[];
}

/** A person back in scope who stays disabled until an admin enables them. */
export interface Reentry extends Person {
  readonly pdsUserId: string;
  /** When a run first saw them back (ISO). */
  readonly since: string;
}

/** An absent person whose absence is unexplained: not disabled before `until`, then read once more. */
export interface GraceEntry extends Person {
  readonly pdsUserId: string;
  /** When a run first saw them absent (ISO). */
  readonly since: string;
  /** The end of the grace (ISO). */
  readonly until: string;
}

/** What earlier attempts of a run (killed or failed mid-apply) had applied. */
export interface Recovery {
  /** This attempt's number (1 is the first). */
  readonly attempt: number;
  /** The earlier attempts that had applied something. */
  readonly fromAttempts: readonly number[];
  /** What they applied; the report's counts include it. */
  readonly earlier: AppliedCounts;
}

export type { FailureKind } from '../errors/record-failure.js';

/** Why a run failed: a stable code, a message with no secret, and whether retrying can help. */
export interface RunError {
  readonly code: string;
  /** English, for logs and support; operators read `problem` worded in their language. */
  readonly message: string;
  /** The cause as a catalog code (`problem.<code>`). Absent in reports written before it existed. */
  readonly problem?: Problem;
  readonly permanent: boolean;
  /** Set when the cause is that this service could not be reached at all (exit code 5). */
  readonly unreachable?: 'dingtalk' | 'pds';
}

/** One failed record, worded like the PDS console's import results. */
export interface RunFailure {
  readonly dingtalkUserId: string | undefined;
  readonly pdsUserId: string | undefined;
  readonly action: ChangeAction;
  /** The remote (or planner) code, for support. */
  readonly code: string;
  /** The stable reason code. */
  readonly kind: FailureKind;
  /** English detail, for `--json` and support; operators read `kind` worded (with `params`). */
  readonly reason: string;
  /**
   * Values the worded reason adds to `kind`: who holds a taken link (`owner`), the candidates of
   * an ambiguous adoption (`candidates`), or, for a failure an older version stored before
   * reasons were coded, its English `detail`.
   */
  readonly params: Params;
  /** Who it is (in the report; the change log keeps ids only). */
  readonly person?: Person;
}

/** One applied (or, in a dry run, planned) change. Phones and emails are masked. */
export interface RunChange {
  readonly action: ChangeAction;
  readonly dingtalkUserId?: string;
  readonly pdsUserId?: string;
  /** The group a `createGroup` made. */
  readonly groupId?: string;
  readonly fields?: Readonly<Record<string, readonly [string | undefined, string | undefined]>>;
  /** In the change log only: this record's action failed (the report lists it in `failures`). */
  readonly failure?: Pick<RunFailure, 'code' | 'kind' | 'reason' | 'params'>;
  /** In the change log: when it was recorded (ISO). Absent in logs of older versions. */
  readonly at?: string;
  /** In the change log: the person's name (absent for a group, and in logs of older versions). */
  readonly name?: string;
  /** In the change log: the person's departments, or a group's own, by DingTalk id. */
  readonly deptIds?: readonly number[];
  /** Department names, where an older version named them without ids (a migrated report). */
  readonly departments?: readonly string[];
}

/** What a run's report warns about (`warning.<code>`): the plan's notices, and the run's own. */
export type WarningCode =
  | 'mobile_not_authorised'
  | 'email_not_authorised'
  | 'hold_superseded'
  | 'would_hold'
  /** The PDS base URL changed, the domain (the token's `domain_id`) did not. */
  | 'target_moved'
  | 'more'
  /** Someone answered 60121, and the leave records could not be read (`code`, `permission`). */
  | 'leave_records_unreadable'
  | StoredText['code']
  | Exclude<PlanNotice['kind'], 'reentered' | 'keptEnabledByAdmin'>;

export type ReportWarning = Coded<WarningCode>;

/**
 * A warning or held reason an older version stored as plain text (schema version 1), carried as
 * `{code: 'stored_text', params: {text}}` and shown as it is: one shape for every reader.
 */
export type StoredText = Coded<'stored_text'>;

/** Why a run is held: a gate's coded reason (or an older report's text). */
export type ReportHeldReason = HeldReason | StoredText;

/** A held change, with the person it affects named. */
export type HeldChange = RiskyChange & { readonly person?: Person };

export interface HeldInfo {
  /** Every risky change held (disables, cleared phones/emails). */
  readonly changes: readonly HeldChange[];
  /** Those an earlier approval did not cover. */
  readonly notApproved: readonly HeldChange[];
  /** The whole run was held (pre-flight, or holdMode all). */
  readonly wholeRun: boolean;
  /** Which gate held it. */
  readonly by: 'preflight' | 'breaker';
  /** Why, as a stable code: the source shrank, the source is another organisation, or too many disables. */
  readonly code?: HoldCode;
  /** Set when an admin approved or rejected it. */
  resolution?: {
    readonly action: 'approved' | 'rejected';
    readonly at: string;
    readonly approvalRunId?: string;
  };
}

export interface RunReport {
  readonly runId: string;
  /** Which attempt of the run wrote it (1 is the first). */
  readonly attempt?: number;
  readonly profileId: string;
  readonly trigger: RunTrigger;
  readonly approvedRunId?: string;
  /** The profile config's fingerprint the run ran with (src/config/fingerprint.ts). */
  readonly configFingerprint?: string;
  readonly dryRun: boolean;
  readonly deep: boolean;
  status: RunStatus;
  readonly startedAt: string;
  finishedAt: string;
  readonly source: { departments: number; users: number };
  /** Applied writes (a dry run applies none: see `planned`). */
  readonly counts: RunCounts;
  /** What the plan would write; a dry run's outcome. Absent when the run failed before planning. */
  planned?: PlannedCounts;
  /** People back in scope who stay disabled until an admin enables them (first 1,000). */
  reentries?: Reentry[];
  /** Absent people in their grace, unexplained, not disabled yet (first 1,000). */
  grace?: GraceEntry[];
  readonly warnings: ReportWarning[];
  readonly failures: RunFailure[];
  readonly changes: RunChange[];
  changesTruncated: boolean;
  /** More than the inline cap failed: `runs show --json --changes` has every reason. */
  failuresTruncated?: boolean;
  heldReason?: ReportHeldReason;
  held?: HeldInfo;
  error?: RunError;
  readonly apiCalls: { dingtalk: Record<string, number>; pds: Record<string, number> };
  /** Milliseconds spent in plan() (pure planning, once per run). */
  planMs?: number;
  /** Where the run's time went, in milliseconds. */
  timings?: { read: number; linksRead: number; plan: number; apply: number; total: number };
  /** Set when earlier attempts of this run had applied writes (a killed or failed attempt). */
  recovered?: Recovery;
  /** Login-link listings: during the DingTalk walk (users surely changed), and after it, before the plan. */
  linkReads?: { duringWalk: number; afterWalk: number };
  /** Who acted: a web user, a token's name, or `cli:<os user>`; absent fields mean the scheduler. */
  actors?: RunActors;
}

/** Who started a run and who decided its hold. */
export interface RunActors {
  readonly startedBy?: string;
  readonly approvedBy?: string;
  readonly rejectedBy?: string;
}

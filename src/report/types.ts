import type { RiskyChange } from '../gate/breaker.js';

export type RunStatus = 'succeeded' | 'succeeded_with_errors' | 'failed' | 'held' | 'rejected' | 'superseded';
export type RunTrigger = 'manual' | 'schedule' | 'approval';

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
});

/** One failed record, worded like the PDS console's import results. */
export interface RunFailure {
  readonly dingtalkUserId: string | undefined;
  readonly pdsUserId: string | undefined;
  readonly action: string;
  readonly code: string;
  readonly reason: string;
}

/** One applied (or, in a dry run, planned) change. Phones and emails are masked. */
export interface RunChange {
  readonly action: string;
  readonly dingtalkUserId?: string;
  readonly pdsUserId?: string;
  readonly deptId?: number;
  readonly groupId?: string;
  readonly fields?: Readonly<Record<string, readonly [string | undefined, string | undefined]>>;
  /** In the change log only: this record's action failed (the report lists it in `failures`). */
  readonly failure?: { readonly code: string; readonly reason: string };
}

export interface HeldInfo {
  /** Every risky change held (disables, cleared phones/emails). */
  readonly changes: readonly RiskyChange[];
  /** Those an earlier approval did not cover. */
  readonly notApproved: readonly RiskyChange[];
  /** The whole run was held (pre-flight, or holdMode all). */
  readonly wholeRun: boolean;
  /** Which gate held it. */
  readonly by: 'preflight' | 'breaker';
  /** Set when an admin approved or rejected it. */
  resolution?: {
    readonly action: 'approved' | 'rejected';
    readonly at: string;
    readonly approvalRunId?: string;
  };
}

export interface RunReport {
  readonly runId: string;
  readonly profileId: string;
  readonly trigger: RunTrigger;
  readonly approvedRunId?: string;
  readonly dryRun: boolean;
  readonly deep: boolean;
  status: RunStatus;
  readonly startedAt: string;
  finishedAt: string;
  readonly source: { departments: number; users: number };
  readonly counts: RunCounts;
  readonly warnings: string[];
  readonly failures: RunFailure[];
  readonly changes: RunChange[];
  changesTruncated: boolean;
  /** More than the inline cap failed: `runs show --json --changes` has every reason. */
  failuresTruncated?: boolean;
  heldReason?: string;
  held?: HeldInfo;
  error?: { code: string; message: string; permanent: boolean };
  readonly apiCalls: { dingtalk: Record<string, number>; pds: Record<string, number> };
  /** Milliseconds spent in plan() (pure planning, both passes). */
  planMs?: number;
  /** Where the run's time went, in milliseconds. */
  timings?: { read: number; linksRead: number; plan: number; apply: number; total: number };
  /** Login-link listings: during the DingTalk walk (users surely changed), and after the plan. */
  linkReads?: { duringWalk: number; afterPlan: number };
  /** Who acted: a web user, a token's name, or `cli:<os user>`; absent fields mean the scheduler. */
  actors?: RunActors;
}

/** Who started a run and who decided its hold. */
export interface RunActors {
  readonly startedBy?: string;
  readonly approvedBy?: string;
  readonly rejectedBy?: string;
}

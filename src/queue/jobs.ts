import type { CheckResult } from '../check/run-check.js';
import type { Problem } from '../errors/problem.js';
import type { RunReport, RunTrigger } from '../report/types.js';

/** The one queue of sync runs. */
export const SYNC_QUEUE = 'sync';

/** Job names; the worker refuses to start if one has no handler. */
export const JobName = { Run: 'sync-run', Check: 'config-check' } as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/**
 * A sync run request. Holds no secret and no personal data: the worker reads the profile's
 * credentials from its own config.
 */
export interface SyncJobData {
  readonly profileId: string;
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
  readonly deep: boolean;
  /** For trigger `approval`: the held run that was approved. */
  readonly approvedRunId?: string;
  /** For trigger `schedule`: the slot, local wall time and zone, e.g. `2026-11-30T03:07[Asia/Shanghai]`. */
  readonly slot?: string;
  /** The enqueuer's profile fingerprint (src/config/fingerprint.ts): a worker with another config waits. */
  readonly configFingerprint?: string;
  /** Who started it: a web user, a token's name, or `cli:<os user>`; absent for the scheduler. */
  readonly actor?: string;
}

/** The console's 配置检测 of one profile, run on a worker (which holds the profile's secrets). */
export interface CheckJobData {
  readonly profileId: string;
  readonly actor?: string;
}

/** What a failed check job leaves in its progress: why, as a code the console words (failedReason is English). */
export interface CheckJobProgress {
  readonly problem: Problem;
}

/** Data of any job of the sync queue, by job name. */
export type JobData = SyncJobData | CheckJobData;
export type JobResult = RunReport | CheckResult;

export type SyncJobResult = RunReport;
export type CheckJobResult = CheckResult;

/** A job's data when it is a sync run, else undefined (check jobs share the queue). */
export function runDataOf(job: { readonly name: string; readonly data: JobData }): SyncJobData | undefined {
  return job.name === JobName.Run ? (job.data as SyncJobData) : undefined;
}

/** What `job.updateProgress` carries. */
export interface SyncJobProgress {
  readonly phase: string;
  readonly done?: number;
  readonly total?: number;
  /** Read so far (see src/engine/progress.ts). */
  readonly read?: {
    readonly dingtalkDepartments: number;
    readonly dingtalkUsers: number;
    readonly pdsUsers: number;
  };
  /** Writes made so far, while applying. */
  readonly applied?: {
    readonly created: number;
    readonly updated: number;
    readonly disabled: number;
    readonly failed: number;
  };
}

import type { Job } from 'bullmq';
import type { CheckResult } from '../check/run-check.js';
import type { RunProgress } from '../engine/progress.js';
import type { Problem } from '../errors/problem.js';
import type { RunSummary } from '../report/summary.js';
import type { RunTrigger } from '../report/types.js';

/** The one queue of sync runs. */
export const SYNC_QUEUE = 'sync';

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

/** A kind of job's types: its payload, its result and what its progress carries. Types only. */
interface JobKind<Data, Result, Progress> {
  readonly types?: { readonly data: Data; readonly result: Result; readonly progress: Progress };
}
const kind = <Data, Result, Progress>(): JobKind<Data, Result, Progress> => ({});

/**
 * Every kind of job of the sync queue, by name (immich's `JobItem`). Adding a kind is one entry
 * here and one handler in src/worker/processor.ts: the handler table is typed by this list, and
 * the worker refuses to start while a kind has none.
 */
const JOB_KINDS = {
  // a run's result is its summary: the job's hash and the event stream never carry its people
  'sync-run': kind<SyncJobData, RunSummary, RunProgress>(),
  'config-check': kind<CheckJobData, CheckResult, CheckJobProgress>(),
};

export type JobName = keyof typeof JOB_KINDS;
type TypesOf<N extends JobName> = NonNullable<(typeof JOB_KINDS)[N]['types']>;
/** The payload of a kind of job (immich's `JobOf<T>`). */
export type JobOf<N extends JobName> = TypesOf<N>['data'];
export type JobResultOf<N extends JobName> = TypesOf<N>['result'];
export type JobProgressOf<N extends JobName> = TypesOf<N>['progress'];

/** Payloads and results of any kind: what BullMQ's untyped-by-name generics are given. */
export type JobData = JobOf<JobName>;
export type JobResult = JobResultOf<JobName>;

/** A job of the sync queue as BullMQ hands it over: its name and data are not yet correlated. */
export type QueueJob = Job<JobData, JobResult, JobName>;

/** The tag, payload and result of a job of one kind: narrowing on `name` types the others. */
export interface Tagged<N extends JobName> {
  readonly name: N;
  readonly data: JobOf<N>;
  /** Once the job completed (BullMQ sets it before its `completed` event). */
  readonly returnvalue: JobResultOf<N>;
}

/** A job of one kind, as its handler gets it. */
export type JobItem<N extends JobName = JobName> = QueueJob & Tagged<N>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_KINDS, name);
}

/** Every kind, for the worker's start-up check that each has a handler. */
export const JOB_NAMES: readonly JobName[] = Object.keys(JOB_KINDS).filter(isJobName);

/**
 * Narrows a job to one kind by its name: the name is the tag, and jobs are only added through
 * `addJob` (src/queue/queue.ts), with the data of the kind they name.
 */
export function isJobOf<J extends { readonly name: string }, N extends JobName>(
  job: J | undefined,
  name: N,
): job is J & Tagged<N> {
  return job?.name === name;
}

/** A job's data when it is a sync run, else undefined (check jobs share the queue). */
export function runDataOf(
  job: { readonly name: string; readonly data: JobData } | undefined,
): SyncJobData | undefined {
  return isJobOf(job, 'sync-run') ? job.data : undefined;
}

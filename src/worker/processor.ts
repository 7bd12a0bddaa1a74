import { DelayedError, UnrecoverableError } from 'bullmq';
import type { CheckResult } from '../check/run-check.js';
import { profileFingerprint } from '../config/fingerprint.js';
import type { Config, Profile } from '../config/schema.js';
import type { EngineDeps, RunProgress } from '../engine/run-sync.js';
import { runSync } from '../engine/run-sync.js';
import type { Logger } from '../process/logger.js';
import {
  isJobName,
  JOB_NAMES,
  type CheckJobProgress,
  type JobItem,
  type JobName,
  type JobProgressOf,
  type JobResult,
  type JobResultOf,
  type QueueJob,
  type SyncJobData,
} from '../queue/jobs.js';
import { buildReport } from '../report/build-report.js';
import { JobRefusal } from '../errors/job-refusal.js';
import { problemOf } from '../report/problem.js';
import { summaryLine } from '../report/report.js';
import { summaryOf } from '../report/summary.js';
import type { RunHistory } from '../state/history.js';
import type { StateKeys } from '../state/keys.js';
import { ProfileBusyError } from '../errors/profile-busy-error.js';
import type { ProfileLock } from './profile-lock.js';

export interface ProcessorDeps {
  /** The worker's config as it is now (SIGHUP reloads it). */
  readonly config: () => Config;
  readonly keys: StateKeys;
  readonly lock: ProfileLock;
  readonly history: RunHistory;
  readonly log: Logger;
  /** Clients and state for one run of one profile. */
  readonly engineFor: (
    profile: Profile,
    signal: AbortSignal,
    onProgress: (p: RunProgress) => void,
  ) => EngineDeps;
  /** The console's 配置检测 of a profile (run-check), with this worker's secrets. */
  readonly check: (profile: Profile, signal: AbortSignal) => Promise<CheckResult>;
  /** How long a job for a busy profile waits before it tries again. @defaultValue 5000 */
  readonly busyDelayMs?: number;
}

/** What runs one kind of job. */
type Handler<N extends JobName> = (
  job: JobItem<N>,
  token: string | undefined,
  signal: AbortSignal,
) => Promise<JobResultOf<N>>;

/** A handler for every kind of job: a kind without one does not compile. */
export type Handlers = { readonly [N in JobName]: Handler<N> };

/** Hands on what a job of kind N reports as its progress; BullMQ keeps it in the job's hash. */
const reportProgress = <N extends JobName>(job: JobItem<N>, progress: JobProgressOf<N>) =>
  job.updateProgress(progress).catch(() => undefined);

function knownProfile(config: Config, profileId: string): Profile {
  const profile = config.profiles.find((p) => p.id === profileId);
  if (profile === undefined) throw new JobRefusal('unknown_profile', { profile: profileId }, true);
  return profile;
}

function profileFor(config: Config, data: SyncJobData): Profile {
  const profile = knownProfile(config, data.profileId);
  if (!profile.sync.enabled) throw new JobRefusal('sync_disabled', { profile: profile.id }, true);
  const mine = profileFingerprint(profile);
  const theirs = data.configFingerprint;
  if (theirs !== undefined && theirs !== mine)
    // retried: the run goes on once this worker has the enqueuer's config (SIGHUP reloads it)
    throw new JobRefusal('config_mismatch', { profile: profile.id, theirs, mine }, false);
  return profile;
}

/** A refused run still leaves a failed run in the history, so nothing vanishes. */
async function recordRefusal(
  deps: ProcessorDeps,
  job: JobItem<'sync-run'>,
  data: SyncJobData,
  r: JobRefusal,
): Promise<never> {
  const at = new Date();
  const report = buildReport({
    request: {
      runId: String(job.id),
      profileId: data.profileId,
      trigger: data.trigger,
      dryRun: data.dryRun,
      deep: data.deep,
      approvedRunId: data.approvedRunId,
      startedBy: data.actor,
    },
    startedAt: at,
    finishedAt: at,
    error: { code: r.code, message: r.message, problem: r.problem, permanent: r.permanent },
  });
  await deps.history.save(report);
  throw r.permanent ? new UnrecoverableError(r.message) : new Error(r.message);
}

function runHandler(deps: ProcessorDeps): Handler<'sync-run'> {
  return async (job, token, signal) => {
    const data: SyncJobData = job.data;
    const config = deps.config();
    let profile: Profile;
    try {
      profile = profileFor(config, data);
    } catch (err) {
      if (err instanceof JobRefusal) return recordRefusal(deps, job, data, err);
      throw err;
    }
    const ttl = config.worker.lockSeconds * 1000;
    try {
      return await deps.lock.run(deps.keys.profileLock(profile.id), profile.id, ttl, async (lockLost) => {
        const combined = AbortSignal.any([signal, lockLost]);
        await job.log(`run started, attempt ${job.attemptsMade + 1}`);
        const onProgress = (p: RunProgress) => void reportProgress(job, p);
        const report = await runSync(
          {
            runId: String(job.id),
            profile,
            trigger: data.trigger,
            dryRun: data.dryRun,
            deep: data.deep,
            approvedRunId: data.approvedRunId,
            attempt: job.attemptsStarted,
            configFingerprint: profileFingerprint(profile),
            startedBy: data.actor,
          },
          deps.engineFor(profile, combined, onProgress),
        );
        await job.log(summaryLine(report));
        if (report.status === 'failed') {
          const message = report.error?.message ?? 'run failed';
          // permanent causes (credentials, permissions, config) are not retried
          throw report.error?.permanent === true ? new UnrecoverableError(message) : new Error(message);
        }
        return summaryOf(report);
      });
    } catch (err) {
      if (err instanceof ProfileBusyError) {
        // a job for a busy profile waits: neither dropped nor run concurrently. Only a lock that
        // could not be taken is "busy": the routine never ran, so nothing finished is queued again
        await job.moveToDelayed(Date.now() + (deps.busyDelayMs ?? 5000), token);
        throw new DelayedError();
      }
      throw err;
    }
  };
}

/** 配置检测: reads only, takes no profile lock, and is never retried. */
function checkHandler(deps: ProcessorDeps): Handler<'config-check'> {
  return async (job, _token, signal) => {
    try {
      const result = await deps.check(knownProfile(deps.config(), job.data.profileId), signal);
      await job.log(`config check: ${result.ok ? 'a sync can run' : 'a sync cannot run'}`);
      return result;
    } catch (err) {
      // BullMQ keeps only an English failedReason: the cause's code goes beside it, for the console
      const progress: CheckJobProgress = { problem: problemOf(err) };
      await reportProgress(job, progress);
      throw err instanceof JobRefusal ? new UnrecoverableError(err.message) : err;
    }
  };
}

/** The kinds of job a handler table leaves out. */
export function kindsWithoutHandler(handlers: Partial<Handlers>): JobName[] {
  return JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
}

const complete = (handlers: Partial<Handlers>): handlers is Handlers =>
  kindsWithoutHandler(handlers).length === 0;

/** Runs a job with its kind's handler: the name picks the handler typed for its data. */
function dispatch<N extends JobName>(
  handlers: Handlers,
  job: JobItem<N>,
  token: string | undefined,
  signal: AbortSignal,
): Promise<JobResultOf<N>> {
  return handlers[job.name](job, token, signal);
}

/** The worker's handler of each kind of job (src/queue/jobs.ts). */
export function handlersOf(deps: ProcessorDeps): Handlers {
  return { 'sync-run': runHandler(deps), 'config-check': checkHandler(deps) };
}

/**
 * The sync worker's processor. It refuses to start when a kind of job has no handler (the
 * worker then never takes a job it cannot run), and fails a job of a kind it does not know (a
 * newer enqueuer's) without retrying it.
 */
export function syncProcessor(deps: ProcessorDeps, handlers: Partial<Handlers> = handlersOf(deps)) {
  if (!complete(handlers))
    throw new Error(`no handler for job kind ${kindsWithoutHandler(handlers).join(', ')}`);
  return async (job: QueueJob, token?: string, signal?: AbortSignal): Promise<JobResult> => {
    if (!isJobName(job.name)) throw new UnrecoverableError(`unknown job kind ${String(job.name)}`);
    return dispatch(handlers, job, token, signal ?? new AbortController().signal);
  };
}

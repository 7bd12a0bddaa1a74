import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { CheckResult } from '../check/run-check.js';
import { profileFingerprint } from '../config/fingerprint.js';
import type { Config, Profile } from '../config/schema.js';
import type { EngineDeps, RunProgress } from '../engine/run-sync.js';
import { runSync } from '../engine/run-sync.js';
import type { Logger } from '../process/logger.js';
import {
  JobName,
  type CheckJobData,
  type CheckJobProgress,
  type JobData,
  type JobResult,
  type SyncJobData,
  type SyncJobProgress,
} from '../queue/jobs.js';
import { buildReport } from '../report/build-report.js';
import { JobRefusal } from '../errors/job-refusal.js';
import { problemOf } from '../report/problem.js';
import { summaryLine } from '../report/report.js';
import type { RunHistory } from '../state/history.js';
import type { StateKeys } from '../state/keys.js';
import { ProfileBusyError } from '../errors/profile-busy-error.js';
import type { ProfileLock } from './profile-lock.js';

export type SyncJob = Job<JobData, JobResult, JobName>;

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

type Handler = (job: SyncJob, token: string | undefined, signal: AbortSignal) => Promise<JobResult>;

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
  job: SyncJob,
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

function runHandler(deps: ProcessorDeps): Handler {
  return async (job, token, signal) => {
    const data = job.data as SyncJobData;
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
        const onProgress = (p: RunProgress) => {
          const progress: SyncJobProgress = p;
          void job.updateProgress(progress as object).catch(() => undefined);
        };
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
        return report;
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
function checkHandler(deps: ProcessorDeps): Handler {
  return async (job, _token, signal) => {
    const data: CheckJobData = job.data;
    try {
      const result = await deps.check(knownProfile(deps.config(), data.profileId), signal);
      await job.log(`config check: ${result.ok ? 'a sync can run' : 'a sync cannot run'}`);
      return result;
    } catch (err) {
      // BullMQ keeps only an English failedReason: the cause's code goes beside it, for the console
      const progress: CheckJobProgress = { problem: problemOf(err) };
      await job.updateProgress(progress as object).catch(() => undefined);
      throw err instanceof JobRefusal ? new UnrecoverableError(err.message) : err;
    }
  };
}

/**
 * The sync worker's processor. Job names map to handlers; the worker refuses to start when a
 * name has none.
 */
export function syncProcessor(deps: ProcessorDeps) {
  const handlers: Record<JobName, Handler> = {
    [JobName.Run]: runHandler(deps),
    [JobName.Check]: checkHandler(deps),
  };
  for (const name of Object.values(JobName)) {
    if (typeof handlers[name] !== 'function') throw new Error(`no handler for job ${name}`);
  }
  return async (job: SyncJob, token?: string, signal?: AbortSignal): Promise<JobResult> => {
    const handler = handlers[job.name];
    return handler(job, token, signal ?? new AbortController().signal);
  };
}

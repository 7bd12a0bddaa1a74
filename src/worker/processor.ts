import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Config, Profile } from '../config/schema.js';
import type { EngineDeps, RunProgress } from '../engine/run-sync.js';
import { runSync } from '../engine/run-sync.js';
import type { Logger } from '../infra/logger.js';
import { JobName, type SyncJobData, type SyncJobProgress, type SyncJobResult } from '../queue/jobs.js';
import { summaryLine } from '../report/report.js';
import type { RunHistory } from '../state/history.js';
import type { StateKeys } from '../state/keys.js';
import { ProfileBusyError, type ProfileLock } from './profile-lock.js';

export type SyncJob = Job<SyncJobData, SyncJobResult, JobName>;

export interface ProcessorDeps {
  readonly config: Config;
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
  /** How long a job for a busy profile waits before it tries again. @defaultValue 5000 */
  readonly busyDelayMs?: number;
}

type Handler = (job: SyncJob, token: string | undefined, signal: AbortSignal) => Promise<SyncJobResult>;

function profileFor(config: Config, job: SyncJob): Profile {
  const profile = config.profiles.find((p) => p.id === job.data.profileId);
  if (profile === undefined)
    throw new UnrecoverableError(`unknown profile "${job.data.profileId}": not in this worker's config`);
  if (!profile.sync.enabled)
    throw new UnrecoverableError(`sync is switched off for profile "${profile.id}" (sync.enabled: false)`);
  return profile;
}

function runHandler(deps: ProcessorDeps): Handler {
  return async (job, token, signal) => {
    const profile = profileFor(deps.config, job);
    const ttl = deps.config.worker.lockSeconds * 1000;
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
            trigger: job.data.trigger,
            dryRun: job.data.dryRun,
            deep: job.data.deep,
            approvedRunId: job.data.approvedRunId,
            attempt: job.attemptsStarted,
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

/**
 * The sync worker's processor. Job names map to handlers; the worker refuses to start when a
 * name has none.
 */
export function syncProcessor(deps: ProcessorDeps) {
  const handlers: Record<JobName, Handler> = { [JobName.Run]: runHandler(deps) };
  for (const name of Object.values(JobName)) {
    if (typeof handlers[name] !== 'function') throw new Error(`no handler for job ${name}`);
  }
  return async (job: SyncJob, token?: string, signal?: AbortSignal): Promise<SyncJobResult> => {
    const handler = handlers[job.name];
    return handler(job, token, signal ?? new AbortController().signal);
  };
}

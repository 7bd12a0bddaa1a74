import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis/client.js';
import { JobName, SYNC_QUEUE, type JobData, type JobResult } from './jobs.js';

export type SyncQueue = Queue<JobData, JobResult, JobName>;

const DAY_S = 24 * 3600;

/**
 * Defaults of every sync job. Transient failures (Redis blip, stalled worker) retry the whole
 * run, which is safe because runs are idempotent; permanent ones fail at once.
 */
export const SYNC_JOB_DEFAULTS: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 14 * DAY_S, count: 1000 },
  removeOnFail: { age: 30 * DAY_S, count: 1000 },
};

/** How runs are retried: the config's `runs` section, set by whoever enqueues. */
export interface RunRetry {
  readonly attempts: number;
  readonly backoffSeconds: number;
}

export function openSyncQueue(connection: RedisClient, prefix: string, retry?: RunRetry): SyncQueue {
  return new Queue<JobData, JobResult, JobName>(SYNC_QUEUE, {
    connection,
    prefix,
    defaultJobOptions:
      retry === undefined
        ? SYNC_JOB_DEFAULTS
        : {
            ...SYNC_JOB_DEFAULTS,
            attempts: retry.attempts,
            backoff: { type: 'exponential', delay: retry.backoffSeconds * 1000 },
          },
  });
}

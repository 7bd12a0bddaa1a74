import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis/client.js';
import { runsSchema, type Config } from '../config/schema.js';
import { newRunId } from './run-id.js';
import { SYNC_QUEUE, type JobData, type JobName, type JobOf, type JobResult } from './jobs.js';

export type SyncQueue = Queue<JobData, JobResult, JobName>;

const DAY_S = 24 * 3600;

/** How runs are retried: the config's `runs` section, set by whoever enqueues. */
export type RunRetry = Config['runs'];

/**
 * Options of every sync job. Transient failures (Redis blip, stalled worker) retry the whole run,
 * which is safe because runs are idempotent; permanent ones fail at once. Without a config (tests,
 * the bench), the config schema's own defaults.
 */
export function syncJobOptions(retry: RunRetry = runsSchema.parse(undefined)): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffSeconds * 1000 },
    removeOnComplete: { age: 14 * DAY_S, count: 1000 },
    removeOnFail: { age: 30 * DAY_S, count: 1000 },
  };
}

export function openSyncQueue(connection: RedisClient, prefix: string, retry?: RunRetry): SyncQueue {
  return new Queue<JobData, JobResult, JobName>(SYNC_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: syncJobOptions(retry),
  });
}

/** A job as added: its id, and whether an equivalent job was already there (deduplication). */
export interface Added {
  readonly id: string;
  readonly deduplicated: boolean;
}

/**
 * Adds a job of one kind with that kind's data: the one way jobs enter the queue, so a job's
 * name always tells its data (src/queue/jobs.ts). Each job gets our own id (src/queue/run-id.ts);
 * with `deduplication`, BullMQ answers with the id of the job already there, if one is.
 */
export async function addJob<N extends JobName>(
  queue: SyncQueue,
  name: N,
  data: JobOf<N>,
  opts: Omit<JobsOptions, 'jobId'> = {},
): Promise<Added> {
  const jobId = newRunId();
  const job = await queue.add(name, data, { ...opts, jobId });
  const id = String(job.id);
  return { id, deduplicated: id !== jobId };
}

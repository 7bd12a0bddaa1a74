import { setTimeout as delay } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import type { JobData, JobName, JobResult } from '../queue/jobs.js';
import type { Logger } from '../process/logger.js';

// unref'd: a pending deadline never keeps a closed process alive
const timer = (ms: number) => delay(ms, 'timeout' as const, { ref: false });

/**
 * Graceful, bounded worker shutdown: stop taking jobs and let active runs finish; past the
 * deadline, cancel them through BullMQ's signal (their HTTP calls abort, their profile locks are
 * released, the jobs are retried elsewhere), then force-close. `worker.close()` alone can wait
 * forever, and hangs while Redis is down.
 */
export async function closeWorker(
  worker: Worker<JobData, JobResult, JobName>,
  timeoutMs: number,
  log: Logger,
): Promise<void> {
  const closing = worker.close();
  if ((await Promise.race([closing.then(() => 'closed' as const), timer(timeoutMs)])) === 'closed') return;
  log.warn({ timeoutMs }, 'active runs did not finish in time: cancelling them');
  worker.cancelAllJobs('worker shutting down');
  if ((await Promise.race([closing.then(() => 'closed' as const), timer(5000)])) === 'closed') return;
  log.warn('forcing the worker closed');
  await worker.close(true);
}

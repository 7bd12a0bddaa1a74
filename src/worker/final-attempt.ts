import type { Job } from 'bullmq';

/**
 * Whether a failed attempt is the job's last: BullMQ will not retry it. Only the last one is a
 * failed run to log as an error, alert on and notify; the others are retries.
 */
export function isFinalAttempt(job: Pick<Job, 'attemptsMade' | 'opts'> | undefined, err: Error): boolean {
  return (
    job === undefined || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError'
  );
}

import type { QueueEvents } from 'bullmq';
import type { RunError } from '../report/types.js';
import type { Operator } from './operator.js';

export interface WatchOptions {
  /** How often the followed run's job is checked (and how long one check may take). @defaultValue 5000 */
  readonly checkMs?: number;
  /** How long Redis may stay out of reach before the wait gives up. @defaultValue 30000 */
  readonly redisLossMs?: number;
  /**
   * How long a queued run may find no worker online before the wait says so and ends (the run
   * stays queued). `Infinity` waits for a worker (`--wait-for-worker`). @defaultValue checkMs
   */
  readonly noWorkerMs?: number;
  /** Told once per failed attempt that BullMQ will retry: the cause and when the next starts. */
  readonly onAttemptFailed?: (a: FailedAttempt) => void;
  /** Told once, at the first check, when the run waits in the queue for a worker. */
  readonly onQueued?: () => void;
  /** Stops the wait (Ctrl-C): it then ends as `stopped`. */
  readonly signal?: AbortSignal;
}

export interface FailedAttempt {
  readonly attempt: number;
  readonly of: number;
  /** The job's failed reason (English, from the worker), when it gave one. */
  readonly reason: string | undefined;
  /** The attempt's saved error: its cause as a code, for the operator's words. */
  readonly error: RunError | undefined;
  /** When the next attempt is due (epoch ms), when known. */
  readonly nextAt: number | undefined;
}

/** How a wait for a run ended. */
export type WatchEnd =
  | { readonly kind: 'finished' }
  /** Neither the job nor a report exists: removed, or lost with a Redis restarted empty. */
  | { readonly kind: 'job-gone' }
  /** No worker was online for `noWorkerMs` while the run waited in the queue. */
  | { readonly kind: 'no-worker'; readonly windowMs: number }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'redis-lost'; readonly windowMs: number; readonly cause: string };

type Check =
  | { readonly where: 'finished' | 'job-gone' }
  | {
      readonly where: 'pending';
      /** Waiting for a worker (as opposed to running). */
      readonly queued: boolean;
      readonly attemptsMade: number;
      readonly attempts: number;
      readonly failedReason: string | undefined;
      readonly nextAt: number | undefined;
    };

const QUEUED_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/** Where the run is: a retried attempt is still pending, only a final outcome has finished. */
async function check(op: Operator, runId: string): Promise<Check> {
  const gone = async (): Promise<Check> =>
    (await op.history.get(runId)) === undefined ? { where: 'job-gone' } : { where: 'finished' };
  const job = await op.queue.getJob(runId);
  if (job === undefined) return gone();
  const state = await job.getState();
  if (state === 'completed' || state === 'failed') return { where: 'finished' };
  // removed between the two reads
  if (state === 'unknown') return gone();
  // a retry waits in the delayed set, scored by its due time (BullMQ: ms × 0x1000 + a counter)
  const score = state === 'delayed' ? await op.redis.zscore(op.queue.toKey('delayed'), runId) : null;
  return {
    where: 'pending',
    queued: QUEUED_STATES.has(state),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    failedReason: job.failedReason === '' ? undefined : job.failedReason,
    nextAt: score === null ? undefined : Math.floor(Number(score) / 0x1000),
  };
}

function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code ?? err.message.split('\n')[0] ?? err.name;
}

/** A check that takes longer than `ms` counts as no answer (a Redis behind a dead network). */
function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    // the code is what an operator reads as the cause (see causeOf)
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Waits for a run's final outcome by checking its job every `checkMs`, and at once when the
 * queue's events say it finished (events alone are not enough: they stop while Redis is away,
 * and a job lost with Redis never sends one).
 */
export async function watchRun(
  op: Operator,
  runId: string,
  events: QueueEvents,
  options: WatchOptions = {},
): Promise<WatchEnd> {
  const checkMs = options.checkMs ?? 5000;
  const redisLossMs = options.redisLossMs ?? 30_000;
  const noWorkerMs = options.noWorkerMs ?? checkMs;
  let noWorkerSince: number | undefined;
  let attemptsSeen: number | undefined;
  // a finish reported during a check is kept for after it, so no wait of `checkMs` follows
  let nudged: boolean;
  let wake: (() => void) | undefined;
  const nudge = ({ jobId }: { jobId: string }) => {
    if (jobId !== runId) return;
    nudged = true;
    wake?.();
  };
  // the connection's own error names the cause better than a command's "max retries"
  let connectionError: unknown;
  const onError = (err: unknown) => {
    connectionError = err;
  };
  events.on('completed', nudge);
  events.on('failed', nudge);
  events.on('delayed', nudge);
  events.on('error', onError);
  let lastContact = Date.now();
  try {
    for (;;) {
      if (options.signal?.aborted === true) return { kind: 'stopped' };
      nudged = false;
      try {
        const c = await bounded(check(op, runId), checkMs);
        lastContact = Date.now();
        connectionError = undefined;
        if (c.where !== 'pending') return { kind: c.where };
        if (attemptsSeen !== undefined && c.attemptsMade > attemptsSeen) {
          // the attempt's report holds its cause as a code; the job's reason is the worker's English
          const saved = await bounded(op.history.get(runId), checkMs);
          options.onAttemptFailed?.({
            attempt: c.attemptsMade,
            of: c.attempts,
            reason: c.failedReason,
            error: saved?.error,
            nextAt: c.nextAt,
          });
        }
        if (attemptsSeen === undefined && c.queued) options.onQueued?.();
        attemptsSeen = c.attemptsMade;
        const workers = c.queued ? (await bounded(op.queue.getWorkers(), checkMs)).length : 1;
        noWorkerSince = workers > 0 ? undefined : (noWorkerSince ?? Date.now());
        if (noWorkerSince !== undefined && Date.now() - noWorkerSince >= noWorkerMs)
          return { kind: 'no-worker', windowMs: noWorkerMs };
      } catch (err) {
        if (Date.now() - lastContact > redisLossMs)
          return { kind: 'redis-lost', windowMs: redisLossMs, cause: causeOf(connectionError ?? err) };
      }
      if (nudged) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, checkMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        options.signal?.addEventListener('abort', wake, { once: true });
      });
      if (wake !== undefined) options.signal?.removeEventListener('abort', wake);
      wake = undefined;
    }
  } finally {
    events.off('completed', nudge);
    events.off('failed', nudge);
    events.off('delayed', nudge);
    events.off('error', onError);
  }
}

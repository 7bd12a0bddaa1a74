import type { QueueEvents } from 'bullmq';
import type { Operator } from './operator.js';

export interface WatchOptions {
  /** How often the followed run's job is checked (and how long one check may take). @defaultValue 5000 */
  readonly checkMs?: number;
  /** How long Redis may stay out of reach before the wait gives up. @defaultValue 30000 */
  readonly redisLossMs?: number;
}

/** How a wait for a run ended. */
export type WatchEnd =
  | { readonly kind: 'finished' }
  /** Neither the job nor a report exists: removed, or lost with a Redis restarted empty. */
  | { readonly kind: 'job-gone' }
  | { readonly kind: 'redis-lost'; readonly windowMs: number; readonly cause: string };

type Check = 'finished' | 'pending' | 'job-gone';

/** Where the run is: a retried attempt is still pending, only a final outcome has finished. */
async function check(op: Operator, runId: string): Promise<Check> {
  const job = await op.queue.getJob(runId);
  if (job === undefined) return (await op.history.get(runId)) === undefined ? 'job-gone' : 'finished';
  const state = await job.getState();
  if (state === 'completed' || state === 'failed') return 'finished';
  // removed between the two reads
  if (state === 'unknown') return (await op.history.get(runId)) === undefined ? 'job-gone' : 'finished';
  return 'pending';
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
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
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
  events.on('error', onError);
  let lastContact = Date.now();
  try {
    for (;;) {
      nudged = false;
      try {
        const where = await bounded(check(op, runId), checkMs);
        lastContact = Date.now();
        connectionError = undefined;
        if (where !== 'pending') return { kind: where };
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
      });
      wake = undefined;
    }
  } finally {
    events.off('completed', nudge);
    events.off('failed', nudge);
    events.off('error', onError);
  }
}

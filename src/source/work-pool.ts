import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import { withOwnSignal } from '../pacing/lane.js';

/** Concurrency per lane: tasks of one lane never take the places of another lane's tasks. */
export interface Lanes<T> {
  readonly laneOf: (task: T) => string;
  readonly limits: Readonly<Record<string, number>>;
}

/**
 * Runs tasks with at most `concurrency` in flight (per lane, when lanes are given: a p-limit
 * each); a task may add more tasks (a tree walk). Lanes keep one API's paced calls from filling
 * every place while another API's calls wait (a walk's discovery must not queue behind its
 * listings). The first failure aborts the others through the signal handed to each task, waits
 * for the ones in flight to settle (nothing keeps running after the promise settles) and rejects
 * with that first failure: a walk is complete or it fails.
 */
export async function runPool<T>(
  initial: readonly T[],
  concurrency: number | Lanes<T>,
  worker: (task: T, add: (task: T) => void, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  // Each task in flight holds one listener here (its own signal's, see src/pacing/lane.ts): at
  // most the places of the lanes made so far. One more would be a leak.
  let places = 0;
  const onParentAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onParentAbort, { once: true });
  const lanes = new Map<string, LimitFunction>();
  const limitOf = (task: T): LimitFunction => {
    const name = typeof concurrency === 'number' ? '' : concurrency.laneOf(task);
    let limit = lanes.get(name);
    if (limit === undefined) {
      limit = pLimit(typeof concurrency === 'number' ? concurrency : (concurrency.limits[name] ?? 1));
      lanes.set(name, limit);
      places += limit.concurrency;
      setMaxListeners(places, controller.signal);
    }
    return limit;
  };
  let failure: { readonly error: unknown } | undefined;
  const running = new Set<Promise<void>>();
  const add = (task: T) => {
    if (failure !== undefined) return;
    // the failure is recorded inside the limited function, before its place frees, so no task
    // queued behind it starts after a failure
    const run: Promise<void> = limitOf(task)(async () => {
      if (failure !== undefined) return;
      try {
        // p-limit starts a task a turn later: an abort may have come first
        controller.signal.throwIfAborted();
        await withOwnSignal(controller.signal, (own) => worker(task, add, own));
      } catch (error) {
        if (failure !== undefined) return;
        // The parent's abort reason wins over the failures it caused.
        failure = { error: signal?.aborted === true ? signal.reason : error };
        controller.abort(error);
      }
    }).finally(() => running.delete(run));
    running.add(run);
  };
  try {
    for (const t of initial) add(t);
    // tasks add tasks while others run: wait until none is left
    while (running.size > 0) await Promise.all(running);
  } finally {
    signal?.removeEventListener('abort', onParentAbort);
  }
  if (failure !== undefined) throw failure.error;
}

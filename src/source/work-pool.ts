import { setMaxListeners } from 'node:events';

/** Concurrency per lane: tasks of one lane never take the places of another lane's tasks. */
export interface Lanes<T> {
  readonly laneOf: (task: T) => string;
  readonly limits: Readonly<Record<string, number>>;
}

interface Lane<T> {
  readonly queue: T[];
  head: number;
  active: number;
  readonly limit: number;
}

/**
 * Runs tasks with at most `concurrency` in flight (per lane, when lanes are given); a task may
 * add more tasks (a tree walk). Lanes keep one API's paced calls from filling every place while
 * another API's calls wait (a walk's discovery must not queue behind its listings). The first
 * failure aborts the others through the signal handed to each task, waits for the ones in
 * flight to settle (nothing keeps running after the promise settles) and rejects with that
 * first failure: a walk is complete or it fails.
 */
export async function runPool<T>(
  initial: readonly T[],
  concurrency: number | Lanes<T>,
  worker: (task: T, add: (task: T) => void, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  // Every task in flight listens on this one signal (got, the pacer): not a leak.
  setMaxListeners(0, controller.signal);
  const onParentAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onParentAbort, { once: true });
  const laneOf = typeof concurrency === 'number' ? () => '' : concurrency.laneOf;
  const lanes = new Map<string, Lane<T>>();
  const laneFor = (task: T): Lane<T> => {
    const name = laneOf(task);
    let lane = lanes.get(name);
    if (lane === undefined) {
      const limit = typeof concurrency === 'number' ? concurrency : (concurrency.limits[name] ?? 1);
      lane = { queue: [], head: 0, active: 0, limit };
      lanes.set(name, lane);
    }
    return lane;
  };
  let failure: { readonly error: unknown } | undefined;
  const add = (task: T) => {
    if (failure === undefined) laneFor(task).queue.push(task);
  };
  for (const t of initial) add(t);
  const idle = () =>
    [...lanes.values()].every((l) => l.active === 0 && (failure !== undefined || l.head >= l.queue.length));
  try {
    await new Promise<void>((resolve) => {
      const pump = () => {
        for (const lane of lanes.values()) {
          while (failure === undefined && lane.active < lane.limit && lane.head < lane.queue.length) {
            const task = lane.queue[lane.head] as T;
            lane.head++;
            lane.active++;
            worker(task, add, controller.signal).then(
              () => {
                lane.active--;
                pump();
              },
              (error: unknown) => {
                lane.active--;
                if (failure === undefined) {
                  // The parent's abort reason wins over the failures it caused.
                  failure = { error: signal?.aborted === true ? signal.reason : error };
                  controller.abort(error);
                }
                pump();
              },
            );
          }
          // Reclaim the consumed part of a long queue now and then.
          if (lane.head > 4096 && lane.head * 2 > lane.queue.length) {
            lane.queue.splice(0, lane.head);
            lane.head = 0;
          }
        }
        if (idle()) resolve();
      };
      pump();
    });
  } finally {
    signal?.removeEventListener('abort', onParentAbort);
  }
  if (failure !== undefined) throw failure.error;
}

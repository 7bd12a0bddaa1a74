import { setMaxListeners } from 'node:events';

/**
 * Runs tasks with at most `concurrency` in flight; a task may add more tasks (a tree walk).
 * The first failure aborts the others through the signal handed to each task, waits for the
 * ones in flight to settle (nothing keeps running after the promise settles) and rejects with
 * that first failure: a walk is complete or it fails.
 */
export async function runPool<T>(
  initial: readonly T[],
  concurrency: number,
  worker: (task: T, add: (task: T) => void, signal: AbortSignal) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const controller = new AbortController();
  // Every task in flight listens on this one signal (got, the pacer): not a leak.
  setMaxListeners(0, controller.signal);
  const onParentAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onParentAbort, { once: true });
  const queue: T[] = [...initial];
  let head = 0;
  let active = 0;
  let failure: { readonly error: unknown } | undefined;
  const add = (task: T) => {
    if (failure === undefined) queue.push(task);
  };
  try {
    await new Promise<void>((resolve) => {
      const pump = () => {
        if (failure !== undefined) {
          if (active === 0) resolve();
          return;
        }
        while (active < concurrency && head < queue.length) {
          const task = queue[head] as T;
          head++;
          active++;
          worker(task, add, controller.signal).then(
            () => {
              active--;
              pump();
            },
            (error: unknown) => {
              active--;
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
        if (head > 4096 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (active === 0 && head >= queue.length) resolve();
      };
      pump();
    });
  } finally {
    signal?.removeEventListener('abort', onParentAbort);
  }
  if (failure !== undefined) throw failure.error;
}

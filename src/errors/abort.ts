import { setTimeout as delay } from 'node:timers/promises';

/*
 * A cancelled wait rejects with the signal's own reason, as got and the pacer do, so a cancelled
 * job ends with one cause whatever it was waiting on (node's timers would throw an AbortError
 * that wraps the reason instead).
 */

/**
 * `promise`, or the signal's reason as soon as it aborts. The work behind `promise` goes on (a
 * token fetch shared by other callers); its outcome is still observed, so a rejection after the
 * abort is never left unhandled.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason as Error);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}

/** Waits `ms` (a retry's pause); an abort ends the wait at once and clears its timer. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return untilAborted(delay(ms, undefined, { signal }), signal);
}

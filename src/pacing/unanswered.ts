import pLimit, { type LimitFunction } from 'p-limit';

/**
 * At most `cap` calls per key sent and not yet answered by this process (a p-limit per key).
 *
 * Pacing spaces calls as they leave; the remote counts them as it reads them. A remote that stops
 * reading for a while and then reads its backlog counts every call sent meanwhile at once, on top
 * of the next second's. The backlog is the calls unanswered, so capping those caps the bunching,
 * whatever the stall's length. A responsive remote never reaches the cap.
 */
export class UnansweredCap {
  readonly #limits = new Map<string, LimitFunction>();

  constructor(readonly cap: number) {}

  /**
   * Sends once the key has a free place. A call that had to wait for one runs `afterWait` first
   * (the DingTalk client books a fresh instant: its own passed while it waited). A call still
   * waiting when its signal aborts rejects at once with the signal's reason, and is never sent.
   */
  run<T>(
    key: string,
    send: () => Promise<T>,
    o: { readonly afterWait?: () => Promise<void>; readonly signal?: AbortSignal | undefined } = {},
  ): Promise<T> {
    let limit = this.#limits.get(key);
    if (limit === undefined) {
      limit = pLimit(this.cap);
      this.#limits.set(key, limit);
    }
    const waits = limit.activeCount >= limit.concurrency;
    const sent = limit(async () => {
      if (waits) {
        o.signal?.throwIfAborted();
        await o.afterWait?.();
      }
      return send();
    });
    const signal = o.signal;
    if (!waits || signal === undefined) return sent;
    // an abort below leaves `sent` to settle on its own, when a place frees, without sending
    sent.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      sent.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

import { EventEmitter, once } from 'node:events';

/**
 * Counts, per key, the calls this process has sent and not yet had answered, up to a cap.
 *
 * Pacing spaces the calls as they leave; the remote counts them as it reads them. A remote that
 * stops reading for a while (a stalled process, a full queue) and then reads its backlog counts
 * every call sent meanwhile at once, on top of the second after: at 200 QPS paced to 188, with
 * the DingTalk simulator stopped for 100 ms every two seconds (`npm run bench --
 * --stall-dingtalk 100`, 10,000 users), it counted 204–208 calls in one second, 7–12 of them
 * throttled. The backlog is the calls unanswered, so capping those caps the bunching, whatever
 * the stall's length: with 8 the same runs counted 189–195, nothing throttled
 * (docs/performance.md). A responsive remote never reaches the cap: at the paced rate and a
 * loopback reply the calls in flight are one or two.
 */
export class Unanswered {
  readonly #count = new Map<string, number>();
  readonly #freed = new EventEmitter();

  constructor(readonly cap: number) {
    // one listener per call waiting for an answer: bounded by the callers' own concurrency
    this.#freed.setMaxListeners(0);
  }

  /** Counts a call as sent if the key is under the cap; false (and nothing counted) if not. */
  tryEnter(key: string): boolean {
    const n = this.#count.get(key) ?? 0;
    if (n >= this.cap) return false;
    this.#count.set(key, n + 1);
    return true;
  }

  /** The call was answered (or failed): frees its place. */
  leave(key: string): void {
    const n = (this.#count.get(key) ?? 0) - 1;
    if (n > 0) this.#count.set(key, n);
    else this.#count.delete(key);
    this.#freed.emit(key);
  }

  /** Resolves once the key is under the cap; rejects with the signal's reason if aborted. */
  async whenFree(key: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    try {
      while ((this.#count.get(key) ?? 0) >= this.cap) await once(this.#freed, key, { signal });
    } catch (err) {
      // `once` rejects with its own AbortError: callers expect the job's reason, as from the pacer
      if (signal?.aborted === true) throw signal.reason;
      throw err;
    }
  }
}

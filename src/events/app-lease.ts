import { Redlock, type Lock } from '@sesamecare-oss/redlock';
import type { RedisClient } from '../redis/client.js';

/**
 * Lifetime of an app's lease: a holder that dies is replaced within this plus a third of it
 * (the others retry every third), 20 s here, inside the 30 s the issue allows.
 */
export const LEASE_MS = 15_000;

/**
 * One process's claim on a DingTalk app's Stream connection: a Redis key set only if absent,
 * with a TTL, extended by its holder and by no one else (redlock's own check-and-extend
 * scripts). A renewal that fails, or does not answer before the lease would lapse, means
 * the lease is lost: another process may hold it by then.
 */
export class AppLease {
  readonly #redlock: Redlock;
  #lock: Lock | undefined;

  constructor(
    redis: RedisClient,
    readonly key: string,
    readonly ttlMs: number,
  ) {
    this.#redlock = new Redlock([redis], { retryCount: 0 });
    // refusals are answered by acquire() and renew(); this only keeps them off 'error'
    this.#redlock.on('error', () => undefined);
  }

  get held(): boolean {
    return this.#lock !== undefined;
  }

  /** One try; true when this process now holds the lease (false: another does, or Redis failed). */
  async acquire(): Promise<boolean> {
    try {
      this.#lock = await this.#redlock.acquire([this.key], this.ttlMs);
      return true;
    } catch {
      return false;
    }
  }

  /** Extends the lease by its TTL; false (and no longer held) when it could not be. */
  async renew(): Promise<boolean> {
    const lock = this.#lock;
    if (lock === undefined) return false;
    let timer: NodeJS.Timeout | undefined;
    const lapsed = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, lock.expiration - Date.now()));
    });
    let late = false;
    const extension = lock.extend(this.ttlMs).then(
      (next) => {
        // answered after we gave up on it: let it go rather than block others for a TTL
        if (late) void next.release().catch(() => undefined);
        return next;
      },
      () => undefined,
    );
    const extended = await Promise.race([extension, lapsed]);
    late = extended === undefined;
    clearTimeout(timer);
    this.#lock = extended;
    return extended !== undefined;
  }

  /** Gives the lease up at once, so another process need not wait out the TTL. */
  async release(): Promise<void> {
    const lock = this.#lock;
    this.#lock = undefined;
    await lock?.release().catch(() => undefined);
  }
}

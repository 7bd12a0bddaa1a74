import { ExecutionError, Redlock, ResourceLockedError } from '@sesamecare-oss/redlock';
import type { RedisClient } from '../redis/client.js';
import { ProfileBusyError } from '../errors/profile-busy-error.js';
import type { Logger } from '../process/logger.js';

/** How the routine ended, once it has. */
type Ended<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Never two runs of one profile at once: a Redis lock with a TTL, extended automatically
 * while the run lives (redlock's `using`), so a crashed worker's lock lapses within the TTL.
 * Only a lock that could not be taken means "busy": a release that fails after the routine
 * ended (the lock lapsed, or Redis restarted empty) is logged and the routine's outcome stands,
 * so finished work is never queued again.
 */
export class ProfileLock {
  readonly #redlock: Redlock;
  readonly #log: Logger;

  constructor(redis: RedisClient, log: Logger) {
    this.#redlock = new Redlock([redis], { retryCount: 0, automaticExtensionThreshold: 1000 });
    this.#redlock.on('error', () => undefined); // acquisition failures are handled below
    this.#log = log;
  }

  /** Runs `routine` under the profile's lock; its signal aborts when the lock is lost. */
  async run<T>(
    key: string,
    profileId: string,
    ttlMs: number,
    routine: (lost: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const outcome: { ended?: Ended<T> } = {};
    try {
      return await this.#redlock.using([key], ttlMs, async (signal) => {
        try {
          const value = await routine(signal);
          outcome.ended = { ok: true, value };
          return value;
        } catch (error) {
          outcome.ended = { ok: false, error };
          throw error;
        }
      });
    } catch (err) {
      const { ended } = outcome;
      if (ended === undefined) {
        if (await isLocked(err)) throw new ProfileBusyError(profileId);
        throw err;
      }
      if (ended.ok || err !== ended.error) {
        this.#log.warn(
          { profileId, reason: err instanceof Error ? err.message : String(err) },
          "the profile lock could not be released after the run (it lapsed, or Redis lost it): the run's outcome stands",
        );
      }
      if (ended.ok) return ended.value;
      throw ended.error;
    }
  }
}

/** Locked by someone else, as opposed to Redis failing: every vote against is a ResourceLockedError. */
async function isLocked(err: unknown): Promise<boolean> {
  if (err instanceof ResourceLockedError) return true;
  if (!(err instanceof ExecutionError) || err.attempts.length === 0) return false;
  const stats = await Promise.all(err.attempts);
  const against = stats.flatMap((s) => [...s.votesAgainst.values()]);
  return against.length > 0 && against.every((e) => e instanceof ResourceLockedError);
}

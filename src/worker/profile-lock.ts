import { ExecutionError, Redlock, ResourceLockedError } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';

/** The profile already has a run in progress (in this or another worker). */
export class ProfileBusyError extends Error {
  constructor(readonly profileId: string) {
    super(`a run of profile ${profileId} is already in progress`);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * Never two runs of one profile at once: a Redis lock with a TTL, extended automatically
 * while the run lives (redlock's `using`), so a crashed worker's lock lapses within the TTL.
 */
export class ProfileLock {
  readonly #redlock: Redlock;

  constructor(redis: Redis) {
    this.#redlock = new Redlock([redis], { retryCount: 0, automaticExtensionThreshold: 1000 });
    this.#redlock.on('error', () => undefined); // acquisition failures are handled below
  }

  async run<T>(
    key: string,
    profileId: string,
    ttlMs: number,
    routine: (lost: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.#redlock.using([key], ttlMs, (signal) => routine(signal));
    } catch (err) {
      if (await isLocked(err)) throw new ProfileBusyError(profileId);
      throw err;
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

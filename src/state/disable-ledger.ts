import type { RedisClient } from '../redis/client.js';
import type { StateKeys } from './keys.js';
import { storedJson } from './parse-stored.js';
import { STORED } from './stored-shapes.js';
import type { DisablesMade } from '../gate/budget.js';

const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/**
 * Every disable the sync made, per profile, by its time (a Redis sorted set): the rolling
 * disable budget counts them over the last day and week, whatever kind of run made them. Entries
 * older than a week are dropped as new ones come.
 */
export class DisableLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async made(profileId: string, now: Date): Promise<DisablesMade> {
    const key = this.keys.disables(profileId);
    const t = now.getTime();
    const [day, week] = await Promise.all([
      this.redis.zcount(key, `(${t - DAY_MS}`, '+inf'),
      this.redis.zcount(key, `(${t - WEEK_MS}`, '+inf'),
    ]);
    return { day, week };
  }

  /** Records one disable made at `at`. */
  async record(profileId: string, runId: string, pdsUserId: string, at: Date): Promise<void> {
    const key = this.keys.disables(profileId);
    const t = at.getTime();
    await this.redis
      .multi()
      .zadd(key, String(t), storedJson(STORED.ledgerEntry, { runId, pdsUserId }))
      .zremrangebyscore(key, '-inf', `(${t - WEEK_MS}`)
      .exec();
  }
}

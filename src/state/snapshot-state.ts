import type { Redis } from 'ioredis';
import type { LinkJournal } from '../apply/context.js';
import type { Baseline, SourceCounts } from '../gate/preflight.js';
import type { StateKeys } from './keys.js';

/** How long a last-complete record lives without a new complete run of that scope. */
const LAST_COMPLETE_TTL_S = 400 * 24 * 3600;

export class SnapshotState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
  ) {}

  async lastComplete(
    profileId: string,
    scopeKey: string,
  ): Promise<Extract<Baseline, { kind: 'lastComplete' }> | undefined> {
    const raw = await this.redis.get(this.keys.lastComplete(profileId, scopeKey));
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as { users: number; departments: number; at: string };
    return {
      kind: 'lastComplete',
      counts: { users: parsed.users, departments: parsed.departments },
      at: parsed.at,
    };
  }

  async recordComplete(profileId: string, scopeKey: string, counts: SourceCounts, at: string): Promise<void> {
    await this.redis.set(
      this.keys.lastComplete(profileId, scopeKey),
      JSON.stringify({ ...counts, at }),
      'EX',
      LAST_COMPLETE_TTL_S,
    );
  }

  async pendingLinks(profileId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.linksPending(profileId));
  }

  journal(profileId: string): LinkJournal {
    const key = this.keys.linksPending(profileId);
    return {
      add: async (ids) => {
        for (let i = 0; i < ids.length; i += 1000) await this.redis.sadd(key, ...ids.slice(i, i + 1000));
      },
      done: async (ids) => {
        if (ids.length > 0) await this.redis.srem(key, ...ids);
      },
    };
  }
}

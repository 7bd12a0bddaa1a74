import { z } from 'zod';
import type { RedisClient } from '../redis/client.js';
import { parseStored, storedJson, type StoredShape } from '../state/parse-stored.js';
import type { StateKeys } from '../state/keys.js';

/** The DingTalk calls one run of a profile makes, by API path, and when they were counted. */
export interface CallEstimate {
  readonly calls: Readonly<Record<string, number>>;
  readonly at: string;
}

/** Where an estimate comes from: the profile's last complete walk, else its last config check. */
export type EstimateSource = 'run' | 'check';

const estimateSchema: z.ZodType<CallEstimate> = z.looseObject({
  calls: z.record(z.string(), z.number()),
  at: z.string(),
});

/** A new kind of stored value: version 1 already carries its `schemaVersion`. */
const STORED_ESTIMATE: StoredShape<CallEstimate> = {
  version: 1,
  read: { 1: estimateSchema },
  fields: (e) => e,
};

/** A profile's estimate, preferring its last complete run's calls over a check's. */
export interface ProfileEstimate {
  readonly source: EstimateSource;
  readonly estimate: CallEstimate;
}

/**
 * The calls each profile's run makes, kept in one hash (`run:<profile>`, `check:<profile>`): the
 * projection and the quota hold read them without a DingTalk call.
 */
export class CallEstimates {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async record(source: EstimateSource, profileId: string, estimate: CallEstimate): Promise<void> {
    await this.redis.hset(
      this.keys.callEstimates(),
      `${source}:${profileId}`,
      storedJson(STORED_ESTIMATE, estimate),
    );
  }

  /** Each profile's estimate (a run's, else a check's), for every profile that has one. */
  async all(): Promise<Map<string, ProfileEstimate>> {
    const key = this.keys.callEstimates();
    const hash = await this.redis.hgetall(key);
    const out = new Map<string, ProfileEstimate>();
    for (const source of ['check', 'run'] as const) {
      for (const [field, raw] of Object.entries(hash)) {
        if (!field.startsWith(`${source}:`)) continue;
        const estimate = parseStored(STORED_ESTIMATE, `${key} field ${field}`, raw);
        out.set(field.slice(source.length + 1), { source, estimate });
      }
    }
    return out;
  }

  /** One profile's estimate. */
  async of(profileId: string): Promise<ProfileEstimate | undefined> {
    const key = this.keys.callEstimates();
    const [run, check] = await this.redis.hmget(key, `run:${profileId}`, `check:${profileId}`);
    const [source, raw] =
      run !== null && run !== undefined ? (['run', run] as const) : (['check', check] as const);
    if (raw === null || raw === undefined) return undefined;
    return { source, estimate: parseStored(STORED_ESTIMATE, `${key} field ${source}:${profileId}`, raw) };
  }
}

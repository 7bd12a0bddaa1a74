import type { Profile } from '../config/schema.js';
import type { RedisClient } from '../redis/client.js';
import type { StateKeys } from '../state/keys.js';
import type { MonthlyCallMeter } from '../dingtalk/types.js';
import type { MonthlyCallCounter } from './call-counter.js';
import { CallEstimates, type EstimateSource } from './estimates.js';
import { meteredTotal, NO_CALLS, readMonthCalls } from './month-calls.js';
import { quotaMonth } from './month.js';
import { meteredPerRun, orgMonths, type OrgMonth } from './org-month.js';
import { organisationOf } from '../config/organisation.js';

/** What the quota hold of a run weighs, all read from Redis before any DingTalk call. */
export interface QuotaFigures {
  readonly org: string;
  readonly month: string;
  /** The organisation's metered calls this month, as every role counted them. */
  readonly used: number;
  /** The metered calls one run of the profile makes; undefined when never measured. */
  readonly estimate: number | undefined;
}

/**
 * DingTalk's monthly quota as a role that calls DingTalk sees it (a worker's runs and checks,
 * `dtsync check`): the meter its clients count in, the figures a run is held by, and where a
 * profile's calls per run are kept.
 */
export interface DingTalkQuota {
  /** The meter of the profile's organisation. */
  meter(profile: Profile): MonthlyCallMeter;
  figures(profile: Profile, now: Date): Promise<QuotaFigures>;
  /** The month of the profile's organisation, with its standing against the quota. */
  orgMonth(profile: Profile, now: Date): Promise<OrgMonth | undefined>;
  /** Keeps the calls of a complete walk (`run`) or of a config check's scope walk (`check`). */
  recordEstimate(
    source: EstimateSource,
    profileId: string,
    calls: Readonly<Record<string, number>>,
    at: Date,
  ): Promise<void>;
  /** Writes the calls counted so far (a run's end, so the next hold sees them). */
  flush(): Promise<void>;
}

/** The monthly quota in the service's Redis, through this process's counter. */
export function dingtalkQuota(deps: {
  readonly redis: RedisClient;
  readonly keys: StateKeys;
  readonly counter: MonthlyCallCounter;
  /** The config's profiles as they are now (a reload changes them): they name the organisations. */
  readonly profiles: () => readonly Profile[];
}): DingTalkQuota {
  const estimates = new CallEstimates(deps.redis, deps.keys);
  const orgOf = (profile: Profile) => organisationOf(deps.profiles(), profile);
  return {
    meter: (profile) => deps.counter.forOrg(orgOf(profile)),
    async figures(profile, now) {
      const org = orgOf(profile);
      const month = quotaMonth(now);
      // this process's own calls not yet written count too
      await deps.counter.flush();
      const [calls, estimate] = await Promise.all([
        readMonthCalls(deps.redis, deps.keys, [org], month),
        estimates.of(profile.id),
      ]);
      return {
        org,
        month,
        used: meteredTotal((calls.get(org) ?? NO_CALLS).calls, profile.dingtalk.meteredApis),
        estimate: meteredPerRun(profile, estimate),
      };
    },
    async orgMonth(profile, now) {
      await deps.counter.flush();
      const [month] = await orgMonths(deps.redis, deps.keys, deps.profiles(), now, orgOf(profile));
      return month;
    },
    recordEstimate: (source, profileId, calls, at) =>
      estimates.record(source, profileId, { calls: { ...calls }, at: at.toISOString() }),
    flush: () => deps.counter.flush(),
  };
}

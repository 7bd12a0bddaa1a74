import type { Profile } from '../config/schema.js';
import type { RedisClient } from '../redis/client.js';
import type { StateKeys } from '../state/keys.js';
import { CallEstimates, type ProfileEstimate } from './estimates.js';
import { meteredTotal, NO_CALLS, readMonthCalls, type MonthCalls } from './month-calls.js';
import { monthBounds, quotaMonth } from './month.js';
import { organisations } from '../config/organisation.js';
import { projectUse, runsLeft } from './projection.js';

/** Where an organisation stands against its quota; absent without `dingtalk.monthlyQuota`. */
export interface QuotaStanding {
  readonly quota: number;
  /** The month's metered calls in percent of the quota, rounded down. */
  readonly percent: number;
  /** Metered calls at the month's end at the current schedule. */
  readonly projected: number;
  /** Scheduled profiles whose calls per run are not known yet (no complete run, no check). */
  readonly unestimated: readonly string[];
}

/** One organisation's quota month: every call counted, the metered use, and the standing. */
export interface OrgMonth extends MonthCalls {
  /** `dingtalk.corpId`, else the app's (config/organisation.ts). */
  readonly org: string;
  /** `YYYY-MM`, Beijing time. */
  readonly month: string;
  readonly profiles: readonly string[];
  /** The calls the quota counts (`dingtalk.meteredApis`; all calls by default). */
  readonly used: number;
  readonly standing?: QuotaStanding;
}

/** The calls one run of a profile makes to the metered APIs, from its estimate. */
export function meteredPerRun(profile: Profile, e: ProfileEstimate | undefined): number | undefined {
  return e === undefined ? undefined : meteredTotal(e.estimate.calls, profile.dingtalk.meteredApis);
}

/**
 * The month of every organisation of the config (or of the one named), from Redis only: the
 * calls counted (one HGETALL per organisation, one round trip) and, where a quota is set, the
 * standing with its projection (the profiles' estimates, and their slots left in the month).
 */
export async function orgMonths(
  redis: RedisClient,
  keys: StateKeys,
  profiles: readonly Profile[],
  now: Date,
  only?: string,
): Promise<OrgMonth[]> {
  const month = quotaMonth(now);
  const orgs = [...organisations(profiles)].filter(([org]) => only === undefined || org === only);
  const calls = await readMonthCalls(
    redis,
    keys,
    orgs.map(([org]) => org),
    month,
  );
  const anyQuota = orgs.some(([, ps]) => ps[0]?.dingtalk.monthlyQuota !== undefined);
  const estimates = anyQuota
    ? await new CallEstimates(redis, keys).all()
    : new Map<string, ProfileEstimate>();
  const end = monthBounds(month).end;
  return orgs.map(([org, ps]) => {
    const first = ps[0];
    const counted = calls.get(org) ?? NO_CALLS;
    const used = meteredTotal(counted.calls, first?.dingtalk.meteredApis);
    const quota = first?.dingtalk.monthlyQuota;
    const base = { org, month, profiles: ps.map((p) => p.id), ...counted, used };
    if (quota === undefined) return base;
    const p = projectUse(
      used,
      ps.map((profile) => ({
        profileId: profile.id,
        perRun: meteredPerRun(profile, estimates.get(profile.id)),
        runsLeft: runsLeft(profile, now, end),
      })),
    );
    return { ...base, standing: { quota, percent: Math.floor((used * 100) / quota), ...p } };
  });
}

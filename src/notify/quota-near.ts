import type { Config, Profile } from '../config/schema.js';
import { isNear } from '../quota/month-words.js';
import { orgMonths, type OrgMonth, type QuotaStanding } from '../quota/org-month.js';
import { organisationOf } from '../quota/organisation.js';
import type { RedisClient } from '../redis/client.js';
import { StateKeys } from '../state/keys.js';

/** A profile's organisation month where a quota is set, and whether it is at the alert's 80 %. */
export interface QuotaOutlook {
  readonly month: OrgMonth & { readonly standing: QuotaStanding };
  readonly near: boolean;
}

/**
 * The month of the profile's organisation as the alert weighs it, from Redis only; undefined
 * without `dingtalk.monthlyQuota` (then there is nothing to alert on).
 */
export async function quotaOutlook(
  redis: RedisClient,
  config: Config,
  profile: Profile,
  now: Date,
): Promise<QuotaOutlook | undefined> {
  if (profile.dingtalk.monthlyQuota === undefined) return undefined;
  const keys = new StateKeys(config.redis.prefix);
  const org = organisationOf(config.profiles, profile);
  const [month] = await orgMonths(redis, keys, config.profiles, now, org);
  if (month?.standing === undefined) return undefined;
  return { month: { ...month, standing: month.standing }, near: isNear(month) };
}

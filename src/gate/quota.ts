import type { PreflightResult } from './preflight.js';

/** An organisation's month against its quota, as the quota hold weighs it. */
export interface QuotaWeighed {
  readonly org: string;
  readonly month: string;
  /** Metered calls this month so far. */
  readonly used: number;
  /** Metered calls this run will make; undefined when never measured. */
  readonly estimate: number | undefined;
  /** `dingtalk.monthlyQuota`. */
  readonly quota: number;
}

/**
 * Quota pre-flight: a run whose calls would take the organisation past its monthly quota is held
 * whole before its first DingTalk call, rather than failing halfway on 90020 with the month's
 * quota spent for every profile of the organisation. Without an estimate (no complete run, no
 * check yet), only a quota already spent holds it.
 */
export function checkQuota(w: QuotaWeighed): PreflightResult {
  if (w.used + (w.estimate ?? 1) <= w.quota) return { ok: true };
  const params = {
    org: w.org,
    month: w.month,
    used: w.used,
    quota: w.quota,
    ...(w.estimate === undefined ? {} : { estimate: w.estimate }),
  };
  return { ok: false, code: 'quota', reason: { code: 'quota', params } };
}

import { z } from 'zod';
import type { SimState } from './context.js';
import { apiError, oapiError, oapiSubError, type SimResponse } from './envelope.js';

/**
 * DingTalk's monthly call quota of an organisation (reference §4): once the metered (计量) APIs
 * have been called more than `quota` times this natural month, each further call to one of them
 * is refused for the rest of the month: legacy `90020` (HTTP 200), new API HTTP 403
 * `Forbidden.AccessDenied.ApiCountLimitForOrg`, with DingTalk's words "您的企业本月api调用量已超过
 * 限制,调用量:10001次,额度:10000次" (the refused call is counted too: 10001 of 10000).
 * Whether the legacy answer comes plain or wrapped in `88` + `sub_code` is unconfirmed: both.
 */
export const monthlyQuotaSchema = z.strictObject({
  /** 额度: calls a month to the metered APIs. */
  quota: z.number().int().min(0),
  /** Calls already made this month, by any app of the organisation; counted up as calls come. @defaultValue 0 */
  used: z.number().int().min(0).default(0),
  /** The metered paths; empty: every API path. @defaultValue [] */
  paths: z.array(z.string()).default([]),
  /** The legacy answer: plain `errcode 90020`, or `88` + `sub_code "90020"`. @defaultValue plain */
  form: z.enum(['plain', 'sub_code']).default('plain'),
});

export type MonthlyQuota = z.output<typeof monthlyQuotaSchema>;

/** The refusal for a call to `path` now, or undefined when it is served (counting it when metered). */
export function takeMonthlyQuota(
  state: SimState,
  path: string,
  api: 'oapi' | 'api',
): SimResponse | undefined {
  const q = state.faults.monthlyQuota;
  if (q === null || (q.paths.length > 0 && !q.paths.includes(path))) return undefined;
  const used = q.used + 1;
  state.faults = { ...state.faults, monthlyQuota: { ...q, used } };
  if (used <= q.quota) return undefined;
  const words = `您的企业本月api调用量已超过限制,调用量:${used}次,额度:${q.quota}次`;
  if (api === 'api') return apiError(403, 'Forbidden.AccessDenied.ApiCountLimitForOrg', words);
  return q.form === 'sub_code' ? oapiSubError('90020', words) : oapiError(90020, words);
}

import type { OrgMonth } from '../quota/org-month.js';
import type { CheckItem } from './items.js';

/** The month's use at which the alert fires and the check warns. */
export const QUOTA_WARN_PERCENT = 80;

/** The APIs of a month, busiest first: `/topapi/v2/user/list 812, /topapi/v2/department/listsub 140`. */
export function apisLine(calls: Readonly<Record<string, number>>): string {
  const parts = Object.entries(calls)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([path, n]) => `${path} ${n}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

/**
 * The month's DingTalk calls of the profile's organisation: counted even without a quota; with
 * one, its use against it and the use projected at the current schedule. DingTalk having
 * answered 90020 this month warns (its own word that the quota was spent; an upgrade since
 * lifts it, and the check's own calls fail if it still holds); a use or a projection at 80 % or
 * more of the quota warns.
 */
export function quotaItem(m: OrgMonth): CheckItem {
  const base = { org: m.org, month: m.month, used: m.used, apis: apisLine(m.calls) };
  const refused = Object.values(m.refused).reduce((a, b) => a + b, 0);
  if (refused > 0)
    return {
      level: 'warn',
      code: 'dingtalk_month',
      state: 'refused',
      params: { ...base, refused, refusedApis: apisLine(m.refused) },
    };
  const s = m.standing;
  if (s === undefined) return { level: 'ok', code: 'dingtalk_month', state: 'counted', params: base };
  const params = {
    ...base,
    quota: s.quota,
    percent: s.percent,
    projected: s.projected,
    unestimated: s.unestimated.length === 0 ? '-' : s.unestimated.join(', '),
  };
  const near = s.percent >= QUOTA_WARN_PERCENT || s.projected * 100 >= s.quota * QUOTA_WARN_PERCENT;
  return near
    ? { level: 'warn', code: 'dingtalk_month', state: 'near', params }
    : { level: 'ok', code: 'dingtalk_month', state: 'within', params };
}

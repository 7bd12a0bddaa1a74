import { apisLine, isNear } from '../quota/month-words.js';
import type { OrgMonth } from '../quota/org-month.js';
import type { CheckItem } from './items.js';

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
  return isNear(m)
    ? { level: 'warn', code: 'dingtalk_month', state: 'near', params }
    : { level: 'ok', code: 'dingtalk_month', state: 'within', params };
}

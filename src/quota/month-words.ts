import type { Translate } from '../i18n/catalog.js';
import type { OrgMonth } from './org-month.js';

/** The month's use at which the alerts fire and the check warns. */
export const QUOTA_WARN_PERCENT = 80;

/** The APIs of a month, busiest first: `/topapi/v2/user/list 812, /topapi/v2/department/listsub 140`. */
export function apisLine(calls: Readonly<Record<string, number>>): string {
  const parts = Object.entries(calls)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([path, n]) => `${path} ${n}`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

/** Whether an organisation's month is at or heading past the alert's 80 % of its quota. */
export function isNear(m: OrgMonth): boolean {
  const s = m.standing;
  return (
    s !== undefined && (s.percent >= QUOTA_WARN_PERCENT || s.projected * 100 >= s.quota * QUOTA_WARN_PERCENT)
  );
}

/** An organisation's DingTalk month in the reader's language: its use, the calls by API, any 90020. */
export function monthLines(m: OrgMonth, t: Translate): string[] {
  const s = m.standing;
  const head =
    s === undefined
      ? t('quota.counted', { org: m.org, month: m.month, used: m.used })
      : t(isNear(m) ? 'quota.near' : 'quota.within', {
          org: m.org,
          month: m.month,
          used: m.used,
          quota: s.quota,
          percent: s.percent,
          projected: s.projected,
        });
  const refused = Object.values(m.refused).reduce((a, b) => a + b, 0);
  return [
    head,
    t('quota.apis', { apis: apisLine(m.calls) }),
    ...(refused === 0 ? [] : [t('quota.refused', { refused, apis: apisLine(m.refused) })]),
  ];
}

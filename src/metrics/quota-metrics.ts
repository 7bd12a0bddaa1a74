import { Gauge, type Registry } from 'prom-client';
import type { OrgMonth } from '../quota/org-month.js';
import { METRICS } from './names.js';

type QuotaMetric = (typeof METRICS)[
  | 'dingtalkMonthCalls'
  | 'dingtalkMonthRefused'
  | 'dingtalkMonthUsed'
  | 'dingtalkMonthlyQuota'
  | 'dingtalkMonthProjected'];

function gauge(
  registry: Registry,
  m: QuotaMetric,
  values: readonly { labels: Readonly<Record<string, string>>; value: number }[],
): void {
  const g = new Gauge({ name: m.name, help: m.help, labelNames: m.labels, registers: [registry] });
  for (const v of values) g.set(v.labels, v.value);
}

/**
 * Each organisation's DingTalk month, from the counts every role keeps in Redis: the calls by
 * API (shown even when no quota is set), the 90020 answers, and with a quota its use, the quota
 * and the projection, which `DtsyncDingTalkQuotaNear` compares.
 */
export function quotaGauges(registry: Registry, months: readonly OrgMonth[]): void {
  const byApi = (pick: (m: OrgMonth) => Readonly<Record<string, number>>) =>
    months.flatMap((m) =>
      Object.entries(pick(m)).map(([api, value]) => ({ labels: { org: m.org, api }, value })),
    );
  gauge(
    registry,
    METRICS.dingtalkMonthCalls,
    byApi((m) => m.calls),
  );
  gauge(
    registry,
    METRICS.dingtalkMonthRefused,
    byApi((m) => m.refused),
  );
  gauge(
    registry,
    METRICS.dingtalkMonthUsed,
    months.map((m) => ({ labels: { org: m.org }, value: m.used })),
  );
  const quota = months.flatMap((m) => (m.standing === undefined ? [] : [{ org: m.org, s: m.standing }]));
  gauge(
    registry,
    METRICS.dingtalkMonthlyQuota,
    quota.map(({ org, s }) => ({ labels: { org }, value: s.quota })),
  );
  gauge(
    registry,
    METRICS.dingtalkMonthProjected,
    quota.map(({ org, s }) => ({ labels: { org }, value: s.projected })),
  );
}

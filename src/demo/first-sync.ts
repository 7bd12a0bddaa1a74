import { checkItemLine } from '../check/items.js';
import type { CheckResult } from '../check/run-check.js';
import { statusText } from '../cli/print-report.js';
import type { Translate } from '../i18n/catalog.js';
import type { RunReport } from '../report/types.js';
import { failureText, heldText, runErrorText } from '../report/words.js';

/** 配置检测's items, one line each. */
export function checkLines(r: CheckResult, t: Translate): string[] {
  return [
    t('demo.check', { profile: r.profileId }),
    ...r.items.map((i) => checkItemLine(i, t)),
    t(r.ok ? 'demo.checkOk' : 'demo.checkFailed'),
  ];
}

/** The first sync's short summary: what it made, how long it took, what failed and why. */
export function summaryLines(
  r: RunReport,
  s: { readonly t: Translate; readonly seconds: number; readonly realLimits: boolean; readonly qps: string },
): string[] {
  const { t } = s;
  const c = r.counts;
  const lines = [
    t('demo.summary', { status: statusText(r, t), seconds: s.seconds.toFixed(1) }),
    t('demo.summaryOrg', { departments: r.source.departments, users: r.source.users }),
    t('demo.summaryCounts', {
      created: c.created,
      groups: c.groupsCreated,
      links: c.linksAdded,
      failed: c.failed,
    }),
    t(s.realLimits ? 'demo.limitsReal' : 'demo.limitsDemo', { qps: s.qps }),
  ];
  for (const f of r.failures.slice(0, 10))
    lines.push(
      t('demo.failure', {
        who: f.person?.name ?? f.dingtalkUserId ?? f.pdsUserId ?? '?',
        reason: failureText(f, t),
      }),
    );
  if (r.failures.length > 10)
    lines.push(t('demo.moreFailures', { n: r.failures.length - 10, runId: r.runId }));
  if (r.error !== undefined) lines.push(t('demo.runError', { message: runErrorText(r.error, t) }));
  if (r.heldReason !== undefined) lines.push(t('demo.runHeld', { reason: heldText(r.heldReason, t) }));
  return lines;
}

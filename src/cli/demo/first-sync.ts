import { checkItemLine } from '../../check/items.js';
import type { CheckResult } from '../../check/run-check.js';
import { statusText } from '../print-report.js';
import type { Translate } from '../../i18n/catalog.js';
import type { RunSummary } from '../../report/summary.js';
import type { ReportDetails } from '../report-details.js';
import { actionText, failureText, heldText, runErrorText } from '../../report/words.js';

/** 配置检测's items, one line each. */
export function checkLines(r: CheckResult, t: Translate): string[] {
  return [
    t('demo.check', { profile: r.profileId }),
    ...r.items.map((i) => checkItemLine(i, t)),
    t(r.ok ? 'demo.checkOk' : 'demo.checkFailed'),
  ];
}

/** The simulators' calls-a-second limits the demo ran at. */
export interface DemoLimits {
  readonly dingtalkQps: number;
  readonly pdsQps: number;
}

/** Which limits the demo used, the demo's or (--real-limits) DingTalk's and PDS's own. */
export function limitsLine(t: Translate, realLimits: boolean, limits: DemoLimits): string {
  return t(realLimits ? 'demo.limitsReal' : 'demo.limitsDemo', {
    dingtalk: limits.dingtalkQps,
    pds: limits.pdsQps,
  });
}

/** The first sync's short summary: what it made, how long it took, what failed and why. */
export function summaryLines(
  r: RunSummary,
  d: Pick<ReportDetails, 'failures'>,
  s: {
    readonly t: Translate;
    readonly seconds: number;
    readonly realLimits: boolean;
    readonly limits: DemoLimits;
  },
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
    limitsLine(t, s.realLimits, s.limits),
  ];
  for (const f of d.failures.slice(0, 10))
    lines.push(
      t('demo.failure', {
        // a group's record has no person: its action names the department
        who: f.person.name || f.person.userid || actionText(f.action, t),
        reason: failureText(f, t),
      }),
    );
  if (r.counts.failed > 10) lines.push(t('demo.moreFailures', { n: r.counts.failed - 10, runId: r.runId }));
  if (r.error !== undefined) lines.push(t('demo.runError', { message: runErrorText(r.error, t) }));
  if (r.heldReason !== undefined) lines.push(t('demo.runHeld', { reason: heldText(r.heldReason, t) }));
  return lines;
}

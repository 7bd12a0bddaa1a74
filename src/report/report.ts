import type { CallStats } from '../infra/call-stats.js';
import { zeroCounts, type RunReport, type RunTrigger } from './types.js';
import { translator } from '../i18n/catalog.js';
import { heldText } from './words.js';

/** The run's log line is for engineers: English. */
const ENGLISH = translator('en');

export function newReport(
  req: {
    runId: string;
    profile: { id: string };
    trigger: RunTrigger;
    dryRun: boolean;
    deep: boolean;
    approvedRunId?: string | undefined;
    configFingerprint?: string | undefined;
  },
  startedAt: Date,
): RunReport {
  return {
    runId: req.runId,
    profileId: req.profile.id,
    trigger: req.trigger,
    ...(req.approvedRunId === undefined ? {} : { approvedRunId: req.approvedRunId }),
    ...(req.configFingerprint === undefined ? {} : { configFingerprint: req.configFingerprint }),
    dryRun: req.dryRun,
    deep: req.deep,
    status: 'failed',
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    source: { departments: 0, users: 0 },
    counts: zeroCounts(),
    warnings: [],
    failures: [],
    changes: [],
    changesTruncated: false,
    apiCalls: { dingtalk: {}, pds: {} },
  };
}

export function finishReport(
  report: RunReport,
  finishedAt: Date,
  stats: { readonly dingtalk: CallStats; readonly pds: CallStats },
  planMs: number,
): void {
  report.finishedAt = finishedAt.toISOString();
  report.apiCalls.dingtalk = stats.dingtalk.calls();
  report.apiCalls.pds = stats.pds.calls();
  report.planMs = Math.round(planMs);
}

/** The one summary line a run writes. A dry run tells what it would do (the plan), not 0s. */
export function summaryLine(r: RunReport): string {
  const tail =
    r.status === 'failed'
      ? `: ${r.error?.message ?? 'failed'}`
      : r.status === 'held'
        ? `: ${r.heldReason === undefined ? '' : heldText(r.heldReason, ENGLISH)}`
        : '';
  const recovered =
    r.recovered === undefined
      ? ''
      : ` (recovered: counts include attempt ${r.recovered.fromAttempts.join(', ')} of this run)`;
  if (r.dryRun) {
    const p = r.planned;
    const plan =
      p === undefined
        ? 'nothing planned'
        : `would create ${p.created}, update ${p.updated}, disable ${p.disabled}, adopt ${p.adopted}; ` +
          `${r.counts.unchanged} unchanged, ${r.counts.reentered} re-entered, ${p.failed} would fail; ` +
          `groups: would create ${p.groupsCreated}, rename ${p.groupsUpdated}; ` +
          `memberships +${p.membershipsAdded}/-${p.membershipsRemoved} (${p.membershipOnly} membership-only); ` +
          `links +${p.linksAdded}/-${p.linksRemoved}`;
    return `dry run ${r.status} (planned, nothing written): ${plan}${tail}`;
  }
  const c = r.counts;
  return (
    `sync run ${r.status}: ${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.unchanged} unchanged, ` +
    `${c.reentered} re-entered, ${c.adopted} adopted, ${c.failed} failed; groups ${c.groupsCreated} created, ` +
    `${c.groupsUpdated} renamed; memberships +${c.membershipsAdded}/-${c.membershipsRemoved} (${c.membershipOnly} membership-only); ` +
    `links +${c.linksAdded}/-${c.linksRemoved}` +
    recovered +
    tail
  );
}

import type { CallStats } from '../infra/call-stats.js';
import { zeroCounts, type RunReport, type RunTrigger } from './types.js';

export function newReport(
  req: {
    runId: string;
    profile: { id: string };
    trigger: RunTrigger;
    dryRun: boolean;
    deep: boolean;
    approvedRunId?: string | undefined;
  },
  startedAt: Date,
): RunReport {
  return {
    runId: req.runId,
    profileId: req.profile.id,
    trigger: req.trigger,
    ...(req.approvedRunId === undefined ? {} : { approvedRunId: req.approvedRunId }),
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

/** The one summary line a run writes. */
export function summaryLine(r: RunReport): string {
  const c = r.counts;
  const what = r.dryRun ? 'dry run' : 'sync run';
  const tail =
    r.status === 'failed'
      ? `: ${r.error?.message ?? 'failed'}`
      : r.status === 'held'
        ? `: ${r.heldReason ?? ''}`
        : '';
  const recovered =
    r.recovered === undefined
      ? ''
      : ` (recovered: counts include attempt ${r.recovered.fromAttempts.join(', ')} of this run)`;
  return (
    `${what} ${r.status}: ${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.unchanged} unchanged, ` +
    `${c.reentered} re-entered, ${c.adopted} adopted, ${c.failed} failed; groups ${c.groupsCreated} created, ` +
    `${c.groupsUpdated} renamed; memberships +${c.membershipsAdded}/-${c.membershipsRemoved}; links +${c.linksAdded}/-${c.linksRemoved}` +
    recovered +
    tail
  );
}

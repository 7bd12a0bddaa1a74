import type { RunReport } from '../report/types.js';
import { summaryLine } from '../report/report.js';

/** A readable report: the summary, then warnings and every failure reason. */
export function printReport(r: RunReport, out: (line: string) => void, maxItems = 50): void {
  out(
    `run ${r.runId} (${r.profileId}, ${r.trigger}${r.dryRun ? ', dry run' : ''}${r.approvedRunId === undefined ? '' : `, approves ${r.approvedRunId}`}): ${r.status}`,
  );
  out(
    `  ${r.startedAt} → ${r.finishedAt}; source: ${r.source.users} users, ${r.source.departments} departments`,
  );
  out(`  ${summaryLine(r)}`);
  if (r.heldReason !== undefined) out(`  held: ${r.heldReason}`);
  if (r.held !== undefined && r.held.notApproved.length > 0 && r.approvedRunId !== undefined) {
    out(
      `  not covered by the approval: ${r.held.notApproved
        .map((c) => `${c.kind} ${c.pdsUserId}`)
        .slice(0, maxItems)
        .join(', ')}`,
    );
  }
  if (r.error !== undefined) out(`  error: ${r.error.code}: ${r.error.message}`);
  for (const w of r.warnings.slice(0, maxItems)) out(`  warning: ${w}`);
  if (r.warnings.length > maxItems) out(`  … ${r.warnings.length - maxItems} more warnings`);
  for (const f of r.failures.slice(0, maxItems)) {
    out(`  failed: ${f.action} ${f.pdsUserId ?? f.dingtalkUserId ?? ''}: ${f.reason} [${f.code}]`);
  }
  if (r.failures.length > maxItems)
    out(`  … ${r.failures.length - maxItems} more failures (--json shows all)`);
}

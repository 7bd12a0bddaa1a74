import { entryPerson } from '../report/departments.js';
import type { RunSummary } from '../report/summary.js';
import type { Person, Reentry, ReportWarning, RunFailure } from '../report/types.js';
import type { RiskyKind } from '../gate/breaker.js';
import type { RunHistory } from '../state/history.js';

/** The people a printed report names: the first of each list, read a page at a time. */
export interface ReportDetails {
  /** Held changes (for an approval run: those its approval did not cover). */
  readonly held: readonly { readonly kind: RiskyKind; readonly person: Person }[];
  readonly failures: readonly (Pick<RunFailure, 'action' | 'code' | 'kind' | 'reason' | 'params'> & {
    readonly person: Person;
  })[];
  readonly reentries: readonly Reentry[];
  readonly warnings: readonly ReportWarning[];
}

/** Reads the first `max` of each list a report prints (every one, with a large `max`). */
export async function reportDetails(history: RunHistory, r: RunSummary, max: number): Promise<ReportDetails> {
  const departments = await history.lists.departments(r.runId);
  const size = Math.max(1, Math.min(max, 100_000));
  const first = { page: 1, pageSize: size };
  const [held, failures, reentries, warnings] = await Promise.all([
    r.held === undefined
      ? undefined
      : history.lists.page('held', r, { ...first, notApproved: r.approvedRunId !== undefined }, departments),
    r.counts.failed > 0 ? history.lists.page('failures', r, first, departments) : undefined,
    r.counts.reentered > 0 ? history.reentries(r.runId) : Promise.resolve([]),
    r.warningCount > r.warnings.length && max > r.warnings.length
      ? history.warnings(r)
      : Promise.resolve(r.warnings),
  ]);
  return {
    held: (held?.items ?? []).map((e) => ({ kind: e.kind, person: entryPerson(e, departments) })),
    failures: (failures?.items ?? []).flatMap((c) =>
      c.failure === undefined
        ? []
        : [{ ...c.failure, action: c.action, person: entryPerson(c, departments) }],
    ),
    reentries: reentries.slice(0, size),
    warnings,
  };
}

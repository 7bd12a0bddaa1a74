import { performance } from 'node:perf_hooks';
import { applyConcurrency, applyPlan } from '../apply/apply.js';
import type { LinkJournal } from '../apply/context.js';
import { runWrites, sourceCounts, type GateResult } from '../gate/gate-run.js';
import type { TargetDomain } from '../gate/target.js';
import type { Logger } from '../process/logger.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { Plan } from '../plan/types.js';
import { recordPlannedChanges } from '../report/planned-changes.js';
import { PLANNED_FAILURE_KIND } from '../report/failure-kind.js';
import { plannedCounts } from '../report/planned-counts.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { ProgressTracker } from './progress.js';
import type { RunRecord } from './run-record.js';
import type { EngineDeps, RunRequest } from './types.js';

export interface ApplyInput {
  readonly source: SourceSnapshot;
  readonly target: TargetSnapshot;
  readonly plan: Plan;
  readonly gate: GateResult;
  /** The PDS domain written to, recorded with the complete run. */
  readonly targetNow?: TargetDomain | undefined;
}

/**
 * Records the plan's known failures, then either shows the plan (a dry run, or a run a
 * pre-flight held: nothing is written, the record lists what would be) or writes what the gate
 * let through. A real run first stores its plan's counts (a later attempt counts from them),
 * and once it has applied, the snapshot as the last complete one of its scope, with the PDS
 * domain it wrote to. Returns the milliseconds spent applying.
 */
export async function applyGated(
  req: RunRequest,
  deps: EngineDeps,
  s: ApplyInput,
  record: RunRecord,
  progress: ProgressTracker,
  log: Logger,
  startedAt: string,
): Promise<number> {
  const { outcome } = record;
  for (const f of s.plan.failures) {
    outcome.fail({
      dingtalkUserId: f.userid,
      pdsUserId: f.pdsUserId,
      action: f.action,
      code: f.code,
      kind: PLANNED_FAILURE_KIND[f.code],
      reason: f.reason,
      ...(f.params === undefined ? {} : { params: f.params }),
    });
  }
  if (!runWrites(s.gate, req.dryRun)) {
    recordPlannedChanges(s.plan, (c) => outcome.change(c));
    return 0;
  }
  await deps.history.recordPlanned(req.runId, req.attempt ?? 1, plannedCounts(s.plan));
  const apply = s.gate.apply;
  if (apply === undefined) return 0; // holdMode all
  const start = performance.now();
  const total = apply.users.length;
  let done = 0;
  const applyProgress = () => {
    const c = outcome.counts;
    progress.apply({
      done,
      total,
      applied: { created: c.created, updated: c.updated, disabled: c.disabled, failed: c.failed },
    });
  };
  progress.phase('apply');
  applyProgress();
  await applyPlan(
    {
      pds: deps.pds,
      profileId: req.profile.id,
      signal: deps.signal,
      concurrency: applyConcurrency(req.profile.pds.qps),
      log,
      journal: deps.snapshots.journal(req.profile.id) satisfies LinkJournal,
      outcome,
      disabled: (pdsUserId) =>
        deps.ledger.record(req.profile.id, req.runId, pdsUserId, (deps.now ?? (() => new Date()))()),
      onRecord: () => {
        done++;
        applyProgress();
      },
    },
    apply,
    s.target,
  );
  const ms = performance.now() - start;
  await deps.snapshots.recordComplete(
    req.profile.id,
    s.source.scopeKey,
    sourceCounts(s.source),
    startedAt,
    s.targetNow,
  );
  return ms;
}

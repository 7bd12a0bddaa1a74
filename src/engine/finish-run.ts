import { performance } from 'node:perf_hooks';
import type { GateResult } from '../gate/gate-run.js';
import { indexRun } from '../people/record-run.js';
import type { Plan } from '../plan/types.js';
import { buildReport, type ReentrySeen, type RunFacts } from '../report/build-report.js';
import { runPeople } from '../report/people.js';
import { plannedCounts } from '../report/planned-counts.js';
import { recoveryOf } from '../report/recovery.js';
import { summaryLine } from '../report/report.js';
import { runStatus } from '../report/status.js';
import type { RunReport } from '../report/types.js';
import { permissionWarnings, warning } from '../report/warnings.js';
import type { AbsenceStep } from './absence-step.js';
import type { ProgressTracker } from './progress.js';
import type { BothSides } from './read-sides.js';
import type { TargetComplete } from './read-links.js';
import type { RunRecord } from './run-record.js';
import type { EngineDeps, RunRequest } from './types.js';

/** The values of the steps a run reached, each set once. */
export interface RunSteps {
  sides?: BothSides;
  complete?: TargetComplete;
  absences?: AbsenceStep;
  plan?: { readonly plan: Plan; readonly ms: number };
  gate?: GateResult;
  reentries?: ReentrySeen[];
  record?: RunRecord;
  applyMs?: number;
}

/** Assembles the report from the steps' values, keeps a held run's place, saves and logs it. */
export async function finishRun(
  req: RunRequest,
  deps: EngineDeps,
  s: RunSteps,
  end: Pick<RunFacts, 'error' | 'startedAt' | 'finishedAt'> & {
    t0: number;
    log: EngineDeps['log'];
    progress: ProgressTracker;
  },
): Promise<RunReport> {
  const facts: RunFacts = {
    request: {
      runId: req.runId,
      profileId: req.profile.id,
      trigger: req.trigger,
      dryRun: req.dryRun,
      deep: req.deep,
      approvedRunId: req.approvedRunId,
      configFingerprint: req.configFingerprint,
      startedBy: req.startedBy,
      attempt: req.attempt,
    },
    ...end,
    snapshots: s.sides && { source: s.sides.source, target: s.complete?.target ?? s.sides.target },
    warnings: s.sides && [
      ...permissionWarnings(s.sides.source, req.profile),
      ...(s.gate?.targetMoved === undefined ? [] : [warning('target_moved', { ...s.gate.targetMoved })]),
      ...(s.absences?.warnings ?? []),
    ],
    plan: s.plan?.plan,
    hold: s.gate?.hold,
    reentries: s.reentries,
    grace: s.absences?.inGrace,
    record: s.record?.outcome,
    recovered:
      s.record && recoveryOf(req.attempt ?? 1, s.record.earlier, s.plan && plannedCounts(s.plan.plan)),
    apiCalls: { dingtalk: deps.stats.dingtalk.calls(), pds: deps.stats.pds.calls() },
    timings: {
      read: Math.round(s.sides?.ms ?? 0),
      linksRead: Math.round(s.complete?.ms ?? 0),
      plan: Math.round(s.plan?.ms ?? 0),
      apply: Math.round(s.applyMs ?? 0),
      total: Math.round(performance.now() - end.t0),
    },
    linkReads: { duringWalk: s.sides?.target.links.size ?? 0, afterWalk: s.complete?.linksAfterWalk ?? 0 },
  };
  const status = runStatus({
    failed: facts.error !== undefined,
    dryRun: req.dryRun,
    heldBy: facts.hold?.by,
    failedRecords: facts.record?.counts.failed ?? 0,
  });
  // a real run that is held takes the profile's one held place
  const supersededHold =
    status === 'held' && !req.dryRun ? await deps.history.setHeld(req.profile.id, req.runId) : undefined;
  const r = buildReport({ ...facts, supersededHold });
  await deps.history.save(r, facts.snapshots && runPeople(facts.snapshots.source, facts.snapshots.target));
  await indexRun(
    deps.people,
    r,
    { source: s.sides?.source, target: facts.snapshots?.target, gate: s.gate },
    end.log,
  );
  end.log.info(
    { status: r.status, counts: r.counts, source: r.source, planMs: r.planMs, error: r.error },
    summaryLine(r),
  );
  end.progress.phase('done');
  return r;
}

import { performance } from 'node:perf_hooks';
import { gateRun } from '../gate/gate-run.js';
import { planOptions } from '../plan/options.js';
import { plan as realPlan } from '../plan/plan.js';
import { runPeople } from '../report/people.js';
import type { RunFacts } from '../report/build-report.js';
import type { RunReport } from '../report/types.js';
import { confirmAbsencesStep } from './absence-step.js';
import { applyGated } from './apply-step.js';
import { finishRun, type RunSteps } from './finish-run.js';
import { readGateInputs } from './gate-inputs.js';
import { ProgressTracker } from './progress.js';
import { readNeededLinks } from './read-links.js';
import { quotaPreflight } from './quota-step.js';
import { readBothSides } from './read-sides.js';
import { reentriesOf } from './reentries.js';
import { failureOf } from './run-error.js';
import { openRecord } from './run-record.js';
import type { EngineDeps, RunRequest } from './types.js';

export type { RunPhase, RunProgress } from './progress.js';
export type { EngineDeps, RunRequest } from './types.js';

/**
 * One sync run of one profile: the monthly quota's pre-flight, read both sides, read the links
 * plan() needs, confirm the absences (src/engine/absence-step.ts says in which order, and why),
 * plan once, gate, apply, report. Always returns a report (status `failed` with the cause on
 * error); no write is made before both snapshots are complete.
 */
export async function runSync(req: RunRequest, deps: EngineDeps): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const t0 = performance.now();
  const log = deps.log.child({ runId: req.runId, profileId: req.profile.id });
  const progress = new ProgressTracker(deps.onProgress);
  const o = planOptions(req.profile, startedAt);
  const plan = deps.plan ?? realPlan;
  const s: RunSteps = {};
  let error: RunFacts['error'];
  try {
    s.gate = await quotaPreflight(req, deps, startedAt);
    if (s.gate !== undefined)
      return await finishRun(req, deps, s, { error, startedAt, finishedAt: now(), t0, log, progress });
    progress.phase('source');
    const sides = (s.sides = await readBothSides(req, deps, o, progress));
    // a complete walk: its DingTalk calls are what one run of this profile costs the monthly quota
    await deps.quota?.recordEstimate('run', req.profile.id, deps.stats.dingtalk.calls(), startedAt);
    const gateInputs = await readGateInputs(req, deps, sides.source);
    progress.phase('plan');
    const { target } = (s.complete = await readNeededLinks(req, deps, sides, o));
    const absences = (s.absences = await confirmAbsencesStep(
      req,
      deps,
      sides.source,
      target,
      gateInputs,
      startedAt,
    ));
    const planStart = performance.now();
    const p = plan(sides.source, target, o, absences.verdicts);
    s.plan = { plan: p, ms: performance.now() - planStart };
    const { safety, adoptExisting } = req.profile.sync;
    const gate = (s.gate = gateRun(p, sides.source, target, gateInputs, safety, adoptExisting));
    const record = (s.record = await openRecord(req, deps, runPeople(sides.source, target)));
    s.reentries = await reentriesOf(req, deps, p, startedAt.toISOString());
    const input = { source: sides.source, target, plan: p, gate, targetNow: gateInputs.targetNow };
    s.applyMs = await applyGated(req, deps, input, record, progress, log, startedAt.toISOString());
  } catch (err) {
    error = failureOf(err);
  }
  if (s.record !== undefined) await s.record.close().catch((err: unknown) => (error ??= failureOf(err)));
  return finishRun(req, deps, s, { error, startedAt, finishedAt: now(), t0, log, progress });
}

import { riskyKey } from '../gate/breaker.js';
import type { GateInputs } from '../gate/gate-run.js';
import { problem } from '../errors/problem.js';
import { ProblemError } from '../errors/problem-error.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { EngineDeps, RunRequest } from './types.js';

/** Reads what the gates compare the run with: the approved hold, the last scope, the last complete snapshot. */
export async function readGateInputs(
  req: RunRequest,
  deps: EngineDeps,
  source: SourceSnapshot,
): Promise<GateInputs> {
  let approved: GateInputs['approved'];
  if (req.approvedRunId !== undefined) {
    const run = await deps.history.get(req.approvedRunId);
    if (run?.held === undefined)
      throw new ProblemError(problem('approval_not_held', { runId: req.approvedRunId }));
    const held = await deps.history.heldEntries(req.approvedRunId);
    approved = { keys: new Set(held.map(riskyKey)), by: run.held.by, source: run.source };
  }
  return {
    approved,
    lastScope: await deps.snapshots.lastScope(req.profile.id),
    lastComplete: await deps.snapshots.lastComplete(req.profile.id, source.scopeKey),
  };
}

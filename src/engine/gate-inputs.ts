import { riskyKey } from '../gate/breaker.js';
import type { GateInputs } from '../gate/gate-run.js';
import { problem } from '../errors/problem.js';
import { ProblemError } from '../errors/problem-error.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { EngineDeps, RunRequest } from './types.js';

/**
 * Reads what the gates compare the run with: the approved hold, the last scope, the last
 * complete snapshot, and the PDS domain then and now (the token's `domain_id`, held since the
 * target was read).
 */
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
    // approving a quota hold lets the run spend the quota (quota-step.ts), and approves nothing
    // of the plan: its run never read DingTalk, so the other gates weigh this one afresh
    if (run.held.code !== 'quota') {
      const held = await deps.history.heldEntries(req.approvedRunId);
      approved = {
        keys: new Set(held.map(riskyKey)),
        by: run.held.by,
        code: run.held.code,
        source: run.source,
      };
    }
  }
  const domainId = await deps.pds.tokenDomain(deps.signal);
  return {
    approved,
    lastScope: await deps.snapshots.lastScope(req.profile.id),
    lastComplete: await deps.snapshots.lastComplete(req.profile.id, source.scopeKey),
    lastTarget: await deps.snapshots.lastTarget(req.profile.id),
    targetNow:
      domainId === undefined || domainId === '' ? undefined : { domainId, baseUrl: req.profile.pds.baseUrl },
    disablesMade: await deps.ledger.made(req.profile.id, (deps.now ?? (() => new Date()))()),
  };
}

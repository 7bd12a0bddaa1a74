import type { GateResult } from '../gate/gate-run.js';
import { checkQuota } from '../gate/quota.js';
import type { EngineDeps, RunRequest } from './types.js';

/**
 * The quota pre-flight, before the run's first DingTalk call: with `dingtalk.monthlyQuota` set, a
 * run whose estimate would take the organisation past it is held whole, from figures in Redis
 * alone. Scheduled and manual runs alike (a manual 立即同步 spends the same quota); the run that
 * approves such a hold goes ahead, and is the only one that does.
 */
export async function quotaPreflight(
  req: RunRequest,
  deps: EngineDeps,
  now: Date,
): Promise<GateResult | undefined> {
  const quota = req.profile.dingtalk.monthlyQuota;
  if (deps.quota === undefined || quota === undefined) return undefined;
  if (req.approvedRunId !== undefined) {
    const approved = await deps.history.get(req.approvedRunId);
    if (approved?.held?.code === 'quota') return undefined;
  }
  const figures = await deps.quota.figures(req.profile, now);
  const r = checkQuota({ ...figures, quota });
  if (r.ok) return undefined;
  return {
    apply: undefined,
    hold: { by: 'preflight', code: r.code, reason: r.reason, changes: [], notApproved: [], wholeRun: true },
  };
}

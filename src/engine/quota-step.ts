import type { GateResult } from '../gate/gate-run.js';
import { checkQuota } from '../gate/quota.js';
import type { EngineDeps, RunRequest } from './types.js';

/**
 * The quota pre-flight, before the run's first DingTalk call: with `dingtalk.monthlyQuota` set, a
 * run whose estimate would take the organisation past it is held whole, from figures in Redis
 * alone. Scheduled and manual runs alike (a manual 立即同步 spends the same quota). A run that
 * approves a hold goes ahead: a person chose it, and weighing the quota again there would hold an
 * approved quota hold's run anew each time another gate's approval followed it.
 */
export async function quotaPreflight(
  req: RunRequest,
  deps: EngineDeps,
  now: Date,
): Promise<GateResult | undefined> {
  const quota = req.profile.dingtalk.monthlyQuota;
  if (deps.quota === undefined || quota === undefined || req.approvedRunId !== undefined) return undefined;
  const figures = await deps.quota.figures(req.profile, now);
  const r = checkQuota({ ...figures, quota });
  if (r.ok) return undefined;
  return {
    apply: undefined,
    hold: { by: 'preflight', code: r.code, reason: r.reason, changes: [], notApproved: [], wholeRun: true },
  };
}

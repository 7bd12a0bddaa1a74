import type { Plan } from '../plan/types.js';
import type { ReentrySeen } from '../report/build-report.js';
import type { EngineDeps, RunRequest } from './types.js';

/**
 * Reports carry the first this many re-entered people; the count has them all. Trades report
 * size in Redis for names shown; safe to change.
 */
const REENTRIES_CAP = 1000;

/** The people back in scope awaiting an admin, with when a run first saw each (kept by real runs). */
export async function reentriesOf(
  req: RunRequest,
  deps: EngineDeps,
  p: Plan,
  at: string,
): Promise<ReentrySeen[]> {
  const back = p.notices.filter((n) => n.kind === 'reentered' && n.userid !== undefined);
  const since = await deps.snapshots.reentrySince(
    req.profile.id,
    back.map((n) => n.userid ?? ''),
    at,
    !req.dryRun,
  );
  return back.slice(0, REENTRIES_CAP).map((n) => {
    const userid = n.userid ?? '';
    return { userid, pdsUserId: n.pdsUserId ?? '', since: since.get(userid) ?? '' };
  });
}

import type { ManagedUser, TargetSnapshot } from '../pds-snapshot/snapshot.js';
import { mayDisable } from '../plan/out-of-scope.js';
import type { SourceSnapshot } from '../source/snapshot.js';

/**
 * The people a run must confirm before its plan: managed and enabled, missing from the complete
 * walk, and ones the planner would disable (not an admin, not enabled again by an admin after
 * the sync disabled them). Computed from the two snapshots alone, so a run held before any read
 * still knows how many there are.
 */
export function absentCandidates(source: SourceSnapshot, target: TargetSnapshot): ManagedUser[] {
  const out: ManagedUser[] = [];
  for (const m of target.managed.values()) if (!source.users.has(m.userid) && mayDisable(m)) out.push(m);
  return out;
}

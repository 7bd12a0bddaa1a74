import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import { UNCHANGED } from './in-scope.js';
import type { PlanOptions, UserDecision } from './types.js';
import { disableRecord, disabledBySync } from './user-data.js';

/** Roles the sync never disables: an admin locked out by a scope change cannot undo it. */
export const PRIVILEGED: ReadonlySet<string> = new Set(['admin', 'superadmin']);

/**
 * A managed user no longer in scope is disabled (never deleted), with a record of why, and
 * leaves the managed groups. Not when it is already disabled (it only leaves the groups), when
 * an admin enabled it again after the sync disabled it, or when it is an admin.
 */
export function decideOutOfScope(m: ManagedUser, o: PlanOptions): UserDecision {
  if (m.status === 'disabled') {
    if (m.groupIds.length === 0) return UNCHANGED;
    return {
      kind: 'change',
      action: { kind: 'leaveGroups', userid: m.userid, pdsUserId: m.pdsUserId, removeGroupIds: m.groupIds },
    };
  }
  if (disabledBySync(m)) {
    return {
      kind: 'notice',
      notice: {
        kind: 'keptEnabledByAdmin',
        userid: m.userid,
        pdsUserId: m.pdsUserId,
      },
    };
  }
  if (PRIVILEGED.has(m.role)) {
    return {
      kind: 'notice',
      notice: {
        kind: 'adminNotDisabled',
        userid: m.userid,
        pdsUserId: m.pdsUserId,
      },
    };
  }
  return {
    kind: 'change',
    action: {
      kind: 'disable',
      userid: m.userid,
      pdsUserId: m.pdsUserId,
      userData: disableRecord(m, o),
      removeGroupIds: m.groupIds,
      reason:
        'left the sync scope (left the company, moved out of the synced departments, or the scope changed)',
    },
  };
}

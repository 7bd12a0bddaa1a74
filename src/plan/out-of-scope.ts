import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import type { AbsenceVerdict } from './absence.js';
import { UNCHANGED } from './in-scope.js';
import type { PlanOptions, UserDecision } from './types.js';
import { disableRecord, disabledBySync } from './user-data.js';

/** Roles the sync never disables: an admin locked out by a scope change cannot undo it. */
export const PRIVILEGED: ReadonlySet<string> = new Set(['admin', 'superadmin']);

/**
 * Whether a managed user missing from the walk would be disabled if the absence were confirmed:
 * enabled, not enabled again by an admin after the sync disabled it, not an admin. The engine
 * confirms exactly these (src/absence/candidates.ts).
 */
export const mayDisable = (m: ManagedUser): boolean =>
  m.status === 'enabled' && !disabledBySync(m) && !PRIVILEGED.has(m.role);

/**
 * A managed user no longer in the walk. Already disabled: it only leaves the managed groups.
 * Enabled again by an admin after the sync disabled it, or an admin: reported, never disabled.
 * Otherwise its confirmed absence decides (`verdict`, read before the plan): disabled now with
 * its reason, in grace, or missed by the walk (never disabled). Without a verdict (nobody read
 * it: a run a pre-flight held) it is planned as an unconfirmed disable, which is never written.
 */
export function decideOutOfScope(
  m: ManagedUser,
  o: PlanOptions,
  verdict: AbsenceVerdict | undefined,
): UserDecision {
  if (m.status === 'disabled') {
    if (m.groupIds.length === 0) return UNCHANGED;
    return {
      kind: 'change',
      action: { kind: 'leaveGroups', userid: m.userid, pdsUserId: m.pdsUserId, removeGroupIds: m.groupIds },
    };
  }
  const ids = { userid: m.userid, pdsUserId: m.pdsUserId };
  if (disabledBySync(m)) return { kind: 'notice', notice: { kind: 'keptEnabledByAdmin', ...ids } };
  if (PRIVILEGED.has(m.role)) return { kind: 'notice', notice: { kind: 'adminNotDisabled', ...ids } };
  const v: AbsenceVerdict = verdict ?? { kind: 'unconfirmed' };
  switch (v.kind) {
    case 'missed':
      return { kind: 'notice', notice: { kind: 'walkMissed', ...ids, deptId: v.deptId } };
    case 'grace':
      return { kind: 'notice', notice: { kind: 'absenceInGrace', ...ids, until: v.until } };
    case 'unconfirmed':
      return {
        kind: 'change',
        action: {
          kind: 'disable',
          ...ids,
          userData: disableRecord(m, o, 'unexplained'),
          removeGroupIds: m.groupIds,
          reason: 'unconfirmed',
        },
      };
    case 'disable':
      return {
        kind: 'change',
        action: {
          kind: 'disable',
          ...ids,
          userData: disableRecord(m, o, v.reason),
          removeGroupIds: m.groupIds,
          reason: v.reason,
          absentSince: v.since,
          ...(v.leaveReason === undefined ? {} : { leaveReason: v.leaveReason }),
        },
      };
  }
}

import type { LinkInfo } from '../pds/types.js';
import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import type { AbsenceVerdict } from './absence.js';
import { UNCHANGED } from './in-scope.js';
import { leaverPhoneLogin } from './links.js';
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
 * The phone login a leaver the sync disabled still holds, when its links were read (`--deep`):
 * versions before the disable removed it left it there, so a successor given the work number
 * could not link it and whoever holds the number could log in once an admin enabled the leaver.
 */
function staleLeaverPhone(m: ManagedUser, o: PlanOptions, links: readonly LinkInfo[] | undefined) {
  if (links === undefined || !disabledBySync(m)) return [];
  return leaverPhoneLogin(m.phone, o).filter((l) =>
    links.some((x) => x.authentication_type === 'mobile' && x.identity === l.identity),
  );
}

/**
 * A managed user no longer in the walk. Already disabled: it only leaves the managed groups
 * (and a phone login older versions left it). Enabled again by an admin after the sync disabled
 * it, or an admin: reported, never disabled. Otherwise its confirmed absence decides (`verdict`,
 * read before the plan): disabled now with its reason, leaving the managed groups and losing its
 * phone login (whoever gets that number next must not log in), in grace, or missed by the walk
 * (never disabled). Without a verdict (nobody read it: a run a pre-flight held) it is planned as
 * an unconfirmed disable, which is never written. `links`: the user's, when read.
 */
export function decideOutOfScope(
  m: ManagedUser,
  o: PlanOptions,
  verdict: AbsenceVerdict | undefined,
  links?: readonly LinkInfo[],
): UserDecision {
  const ids = { userid: m.userid, pdsUserId: m.pdsUserId };
  if (m.status === 'disabled') {
    const linkRemove = staleLeaverPhone(m, o, links);
    if (m.groupIds.length === 0 && linkRemove.length === 0) return UNCHANGED;
    return {
      kind: 'change',
      action: { kind: 'leaveGroups', ...ids, removeGroupIds: m.groupIds, linkRemove },
    };
  }
  if (disabledBySync(m)) return { kind: 'notice', notice: { kind: 'keptEnabledByAdmin', ...ids } };
  if (PRIVILEGED.has(m.role)) return { kind: 'notice', notice: { kind: 'adminNotDisabled', ...ids } };
  const v: AbsenceVerdict = verdict ?? { kind: 'unconfirmed' };
  const disable = {
    kind: 'disable',
    ...ids,
    removeGroupIds: m.groupIds,
    linkRemove: leaverPhoneLogin(m.phone, o),
  } as const;
  switch (v.kind) {
    case 'missed':
      return { kind: 'notice', notice: { kind: 'walkMissed', ...ids, deptId: v.deptId } };
    case 'grace':
      return { kind: 'notice', notice: { kind: 'absenceInGrace', ...ids, until: v.until } };
    case 'unconfirmed':
      return {
        kind: 'change',
        action: { ...disable, userData: disableRecord(m, o, 'unexplained'), reason: 'unconfirmed' },
      };
    case 'disable':
      return {
        kind: 'change',
        action: {
          ...disable,
          userData: disableRecord(m, o, v.reason),
          reason: v.reason,
          absentSince: v.since,
          ...(v.leaveReason === undefined ? {} : { leaveReason: v.leaveReason }),
        },
      };
  }
}

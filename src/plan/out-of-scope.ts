import type { LinkInfo } from '../pds/types.js';
import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import { UNCHANGED } from './in-scope.js';
import { leaverPhoneLogin } from './links.js';
import type { PlanOptions, UserDecision } from './types.js';
import { disableRecord, disabledBySync } from './user-data.js';

/** Roles the sync never disables: an admin locked out by a scope change cannot undo it. */
export const PRIVILEGED: ReadonlySet<string> = new Set(['admin', 'superadmin']);

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
 * A managed user no longer in scope is disabled (never deleted), with a record of why, leaves
 * the managed groups and loses its phone login (whoever gets that number next must not log
 * in). Not when it is already disabled (it only leaves the groups), when an admin enabled it
 * again after the sync disabled it, or when it is an admin. `links`: the user's, when read.
 */
export function decideOutOfScope(m: ManagedUser, o: PlanOptions, links?: readonly LinkInfo[]): UserDecision {
  if (m.status === 'disabled') {
    const linkRemove = staleLeaverPhone(m, o, links);
    if (m.groupIds.length === 0 && linkRemove.length === 0) return UNCHANGED;
    return {
      kind: 'change',
      action: {
        kind: 'leaveGroups',
        userid: m.userid,
        pdsUserId: m.pdsUserId,
        removeGroupIds: m.groupIds,
        linkRemove,
      },
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
      linkRemove: leaverPhoneLogin(m.phone, o),
      reason:
        'left the sync scope (left the company, moved out of the synced departments, or the scope changed)',
    },
  };
}

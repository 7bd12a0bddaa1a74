import { USER_DATA_MAX_CHARS } from '../pds-snapshot/markers.js';
import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import type { SourceUser } from '../source/snapshot.js';
import type { AdoptedBy } from './change-action.js';
import type { PlanContext } from './context.js';
import { linkDiff } from './links.js';
import { groupsInStep, membershipDiff } from './memberships.js';
import { fieldDiff, ownedFieldsInStep } from './owned-fields.js';
import type { FieldChanges, PlanNotice, UserDecision } from './types.js';
import { disabledBySync, markersInStep, planUserData } from './user-data.js';

export const UNCHANGED: UserDecision = { kind: 'unchanged' };

/**
 * A managed user whose markers, owned fields and groups already match DingTalk (its links
 * aside). Allocates nothing: it is most users on most runs, and any doubt is decided in full.
 */
export function inStep(ctx: PlanContext, u: SourceUser, m: ManagedUser): boolean {
  return (
    markersInStep(m.userData, u, ctx.o) &&
    ownedFieldsInStep(u, m, ctx.fields, ctx.o) &&
    groupsInStep(u.deptIds, m.groupIds, ctx.groupOfDept)
  );
}

/** Back in scope after the sync disabled it: it stays disabled until an admin enables it. */
export const isReentered = (m: ManagedUser): boolean => m.status === 'disabled' && disabledBySync(m);

const reenteredNotice = (u: SourceUser, m: ManagedUser): PlanNotice => ({
  kind: 'reentered',
  userid: u.userid,
  pdsUserId: m.pdsUserId,
});

/**
 * A DingTalk user in scope with a PDS user of this profile (or one being adopted, `adoptedBy`):
 * update the owned fields, markers, groups and links that differ. `status` is never touched: a
 * person back in scope stays disabled and is reported. Users the run changes, restores or
 * adopts are planned with their links read (`linksToRead`); without them, only what a phone
 * change implies.
 */
export function decideInScope(
  ctx: PlanContext,
  u: SourceUser,
  m: ManagedUser,
  adoptedBy?: AdoptedBy,
): UserDecision {
  const { o } = ctx;
  const links = ctx.target.links.get(m.pdsUserId);
  if (adoptedBy === undefined && links === undefined && inStep(ctx, u, m)) return UNCHANGED;
  const data = planUserData(m, u, o);
  if (data.kind === 'tooLong') {
    return {
      kind: 'fail',
      failure: {
        userid: u.userid,
        pdsUserId: m.pdsUserId,
        action: adoptedBy === undefined ? { type: 'update' } : { type: 'adopt', by: adoptedBy },
        code: 'UserDataTooLong',
        reason: `user_data of ${m.pdsUserId} would exceed PDS's ${USER_DATA_MAX_CHARS} characters with the sync's keys`,
      },
    };
  }
  const reentered = isReentered(m);
  const { fields, changes } = fieldDiff(u, m, ctx.fields, o);
  const { add, remove } = linkDiff(u, ctx.fields, o, m.phone, links);
  const { addDeptIds, removeGroupIds } = membershipDiff(u.deptIds, m.groupIds, ctx.groupOfDept);
  const notice = reentered ? reenteredNotice(u, m) : undefined;
  const hasWrites =
    data.kind === 'write' ||
    Object.keys(fields).length > 0 ||
    addDeptIds.length > 0 ||
    removeGroupIds.length > 0 ||
    add.length > 0 ||
    remove.length > 0;
  const needsLinks = links === undefined && (hasWrites || reentered || adoptedBy !== undefined);
  if (!hasWrites && !needsLinks) return notice === undefined ? UNCHANGED : { kind: 'notice', notice };
  const allChanges: FieldChanges =
    data.kind === 'write' && adoptedBy !== undefined
      ? { ...changes, user_data: ['(other)', 'managed by this profile'] }
      : changes;
  return {
    kind: 'change',
    action: {
      kind: 'update',
      userid: u.userid,
      pdsUserId: m.pdsUserId,
      ...(adoptedBy === undefined
        ? { reason: reentered ? 'reentered' : 'changed' }
        : { reason: 'adopted', adoptedBy }),
      fields,
      userData: data.kind === 'write' ? data.data : undefined,
      changes: allChanges,
      addDeptIds,
      removeGroupIds,
      linkAdd: add,
      linkRemove: remove,
      linksUnknown: links === undefined,
    },
    ...(notice === undefined ? {} : { notice }),
  };
}

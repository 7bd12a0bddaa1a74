import { isRetired, UD } from '../pds-snapshot/markers.js';
import { pdsUserIdFor } from '../pds-snapshot/identity.js';
import type { SourceUser } from '../source/snapshot.js';
import { adoptedAs, findAdoption } from './adoption.js';
import type { PlanContext } from './context.js';
import { decideInScope } from './in-scope.js';
import { desiredLinks } from './links.js';
import { createFields } from './owned-fields.js';
import type { UserDecision } from './types.js';
import { markedUserData } from './user-data.js';

/**
 * The id a new PDS user of this DingTalk user gets: `dt_<userid>`, or, for a person whose
 * userid another person had (`successor`, or that id held by the predecessor's retired
 * account, when the retirement landed and the create did not), the id of their own unionid.
 */
function newUserId(ctx: PlanContext, u: SourceUser, successor: boolean): string {
  const plain = pdsUserIdFor(u.userid);
  const holder = ctx.target.others.get(plain);
  const retiredHere =
    holder !== undefined &&
    holder.managedBy === ctx.o.profileId &&
    isRetired(holder.userData) &&
    holder.userData[UD.userid] === u.userid;
  return (successor || retiredHere) && u.unionid !== undefined ? pdsUserIdFor(u.userid, u.unionid) : plain;
}

/**
 * A DingTalk user in scope with no PDS user of this profile (or a `successor`: the one it had
 * was another person's): adopt an existing PDS user (`adoptExisting`), else create one under
 * the deterministic id `newUserId` (a retried create is then recognised), unless a user this
 * sync does not manage holds that id.
 */
export function decideNew(ctx: PlanContext, u: SourceUser, successor = false): UserDecision {
  const adoption = findAdoption(ctx, u);
  if (adoption.kind === 'refused') return { kind: 'fail', failure: adoption.failure };
  if (adoption.kind === 'adopt') return decideInScope(ctx, u, adoptedAs(adoption.user, u), adoption.by);
  const pdsUserId = newUserId(ctx, u, successor);
  if (ctx.target.others.has(pdsUserId)) {
    return {
      kind: 'fail',
      failure: {
        userid: u.userid,
        pdsUserId,
        action: { type: 'create' },
        code: 'UserIdTaken',
        reason: `user id ${pdsUserId} taken by a user this sync does not manage`,
      },
    };
  }
  return {
    kind: 'change',
    action: {
      kind: 'create',
      userid: u.userid,
      pdsUserId,
      fields: createFields(u, ctx.fields, ctx.o),
      userData: markedUserData({}, u, ctx.o),
      deptIds: u.deptIds,
      linkAdd: desiredLinks(u, ctx.fields, ctx.o),
    },
  };
}

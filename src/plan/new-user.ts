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
 * A DingTalk user in scope with no PDS user of this profile: adopt an existing PDS user
 * (`adoptExisting`), else create one under the deterministic id `pdsUserIdFor` (a retried
 * create is then recognised), unless a user this sync does not manage holds that id.
 */
export function decideNew(ctx: PlanContext, u: SourceUser): UserDecision {
  const adoption = findAdoption(ctx, u);
  if (adoption.kind === 'ambiguous') return { kind: 'fail', failure: adoption.failure };
  if (adoption.kind === 'adopt') return decideInScope(ctx, u, adoptedAs(adoption.user, u), adoption.by);
  const pdsUserId = pdsUserIdFor(u.userid);
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

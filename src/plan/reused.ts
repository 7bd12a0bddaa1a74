import type { LinkInfo } from '../pds/types.js';
import { UD, USER_DATA_MAX_CHARS, userDataLength } from '../pds-snapshot/markers.js';
import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import type { SourceUser } from '../source/snapshot.js';
import type { PlanContext } from './context.js';
import { decideNew } from './new-user.js';
import { PRIVILEGED } from './out-of-scope.js';
import type { LinkSpec, UserDecision } from './types.js';
import { disabledBySync, retireRecord } from './user-data.js';

/*
 * DingTalk reuses userids (custom userids set to job numbers are common), but never unionids.
 * A managed user recorded for another unionid than DingTalk's user of its userid is the previous
 * person's account: it is never renamed or relinked for the new one. It is retired (out of the
 * managed set for good), and the new person gets an account of their own.
 */

/**
 * The managed user was recorded for another person than DingTalk's user of its userid. One with
 * no recorded unionid (older versions; DingTalk gave none) is not: it gets the unionid filled in.
 */
export function isReused(m: ManagedUser, u: SourceUser): boolean {
  const stored = m.userData[UD.unionid];
  return stored !== undefined && stored !== '' && u.unionid !== undefined && u.unionid !== stored;
}

const asSpec = (x: LinkInfo): LinkSpec => ({
  type: x.authentication_type === 'mobile' ? 'mobile' : 'ding',
  identity: x.identity,
  ...(x.extra === undefined || x.extra === '' ? {} : { extra: x.extra }),
});

/**
 * The logins the sync made on the retired account: `ding` of its person (by unionid or by
 * userid), and `mobile` when the sync owns phones. With the account's links read, exactly those
 * it holds; else those its switches made (an unlink of a link that is not there changes nothing).
 */
function retiredLinks(ctx: PlanContext, m: ManagedUser): LinkSpec[] {
  const { o } = ctx;
  const unionid = m.userData[UD.unionid];
  const links = ctx.target.links.get(m.pdsUserId);
  if (links !== undefined) {
    const dings = new Set([unionid, m.userid]);
    return links
      .filter(
        (x) =>
          (x.authentication_type === 'ding' && dings.has(x.identity)) ||
          (x.authentication_type === 'mobile' && o.syncPhone),
      )
      .map(asSpec);
  }
  const out: LinkSpec[] = [];
  const ding = o.dingIdentity === 'unionid' ? unionid : m.userid;
  if (ding !== undefined && ding !== '') out.push({ type: 'ding', identity: ding });
  if (o.syncPhone && m.phone !== undefined) out.push({ type: 'mobile', identity: m.phone });
  return out;
}

/**
 * The previous person's account is retired: its logins go, it leaves the managed groups, and it
 * is marked retired; disabled with the sync's record (`identity_reused`) unless it is an admin
 * (never disabled) or already disabled by hand. Reported with the successor's account.
 */
function decideRetire(
  ctx: PlanContext,
  m: ManagedUser,
  successorPdsUserId: string | undefined,
): UserDecision {
  const privileged = PRIVILEGED.has(m.role);
  const disable = !privileged && m.status === 'enabled';
  const userData = retireRecord(m, ctx.o, !privileged && (disable || disabledBySync(m)));
  if (userDataLength(userData) > USER_DATA_MAX_CHARS) {
    return {
      kind: 'fail',
      failure: {
        userid: m.userid,
        pdsUserId: m.pdsUserId,
        action: { type: 'retire' },
        code: 'UserDataTooLong',
        reason: `user_data of ${m.pdsUserId} would exceed PDS's ${USER_DATA_MAX_CHARS} characters with the retired marker`,
      },
    };
  }
  return {
    kind: 'change',
    action: {
      kind: 'retire',
      userid: m.userid,
      pdsUserId: m.pdsUserId,
      userData,
      disable,
      removeGroupIds: m.groupIds,
      linkRemove: retiredLinks(ctx, m),
      linksUnknown: !ctx.target.links.has(m.pdsUserId),
    },
    notice: {
      kind: 'identity_reused',
      userid: m.userid,
      pdsUserId: m.pdsUserId,
      ...(successorPdsUserId === undefined ? {} : { successorPdsUserId }),
    },
  };
}

/**
 * A reused userid: the predecessor's account retired, and the new person decided as new to the
 * profile (adopted, or created under an id of their own). Until the predecessor's account can be
 * retired, the new person waits: two accounts claiming one userid would be ambiguous.
 */
export function decideReused(ctx: PlanContext, u: SourceUser, m: ManagedUser): UserDecision[] {
  const next = decideNew(ctx, u, true);
  const successor =
    next.kind === 'change'
      ? next.action.pdsUserId
      : next.kind === 'fail'
        ? next.failure.pdsUserId
        : undefined;
  const retire = decideRetire(ctx, m, successor);
  return retire.kind === 'fail' ? [retire] : [retire, next];
}

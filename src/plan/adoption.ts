import { UD } from '../pds-snapshot/markers.js';
import type { ManagedUser, OtherUser } from '../pds-snapshot/snapshot.js';
import type { SourceUser } from '../source/snapshot.js';
import { eligible } from './adoption-index.js';
import type { AdoptedBy } from './change-action.js';
import type { PlanContext } from './context.js';
import { dingIdentityOf } from './links.js';
import { OWNED_FIELDS, UNKNOWN } from './owned-fields.js';
import type { PlannedFailure } from './types.js';

/** The unmanaged PDS user a DingTalk user new to this profile takes over (`sync.adoptExisting`). */
export type Adoption =
  | { readonly kind: 'none' }
  | { readonly kind: 'adopt'; readonly user: OtherUser; readonly by: AdoptedBy }
  /**
   * No candidate is taken, and the candidates are listed: more than one matches (an admin links
   * the right one by hand), or the one that matches may be another person's account.
   */
  | { readonly kind: 'refused'; readonly failure: PlannedFailure };

const NONE: Adoption = { kind: 'none' };

/** The DingTalk person a PDS user was recorded for (`dingtalk_unionid`), if any. */
const storedUnionid = (x: OtherUser): string | undefined => {
  const v = x.userData[UD.unionid];
  return v === undefined || v === '' ? undefined : v;
};

/** The candidate is recorded as another DingTalk person: never taken for this one. */
const anotherPerson = (x: OtherUser, u: SourceUser): boolean => {
  const stored = storedUnionid(x);
  return stored !== undefined && u.unionid !== undefined && stored !== u.unionid;
};

function refused(
  u: SourceUser,
  by: AdoptedBy,
  code: PlannedFailure['code'],
  candidates: readonly OtherUser[],
  why: string,
): Adoption {
  const ids = candidates.map((x) => x.pdsUserId).join(', ');
  return {
    kind: 'refused',
    failure: {
      userid: u.userid,
      pdsUserId: undefined,
      action: { type: 'adopt', by },
      code,
      reason: `${why}: link the right one by hand (${ids})`,
      params: { candidates: ids },
    },
  };
}

/**
 * The `ding` candidate: the PDS user holding the person's `ding` link. A DingTalk userid can be
 * reused, so a candidate recorded for another unionid is refused; with `dingIdentity: userid`
 * the link proves only the userid, so a candidate without a recorded unionid is refused too.
 */
function byDing(ctx: PlanContext, u: SourceUser): Adoption {
  const { o, target } = ctx;
  const identity = dingIdentityOf(u, o);
  const owner = identity === undefined ? undefined : target.dingOwners.get(identity);
  const other = owner === undefined || owner === null ? undefined : target.others.get(owner);
  if (other === undefined || !eligible(other)) return NONE;
  if (anotherPerson(other, u))
    return refused(
      u,
      'ding',
      'AdoptionIdentityReused',
      [other],
      'the PDS user holding this DingTalk login was recorded for another DingTalk person',
    );
  if (o.dingIdentity === 'userid' && (storedUnionid(other) === undefined || u.unionid === undefined))
    return refused(
      u,
      'ding',
      'AdoptionUnverified',
      [other],
      'the PDS user holding this userid login has no unionid to prove it is this person',
    );
  return { kind: 'adopt', user: other, by: 'ding' };
}

/**
 * `ding`: the PDS user already holding the person's `ding` link (the PDS console's own DingTalk
 * sync; looked up before the plan). `email` / `phone`: the one PDS user with that value. A
 * candidate recorded for another DingTalk person (its unionid) is never one.
 */
export function findAdoption(ctx: PlanContext, u: SourceUser): Adoption {
  const { o } = ctx;
  if (o.adoptExisting === 'off') return NONE;
  if (o.adoptExisting === 'ding') return byDing(ctx, u);
  const by = o.adoptExisting;
  const key = OWNED_FIELDS[by].wanted(u, ctx.fields, o);
  if (key === UNKNOWN || key === undefined) return NONE;
  const matches = (ctx.adoption?.holders(key) ?? []).filter((x) => !anotherPerson(x, u));
  const [first] = matches;
  if (first === undefined) return NONE;
  if (matches.length === 1) return { kind: 'adopt', user: first, by };
  return refused(u, by, 'AmbiguousAdoption', matches, `${matches.length} PDS users have this ${by}`);
}

/** An adopted user as the in-scope rule sees it: managed for this DingTalk user, in no group yet. */
export const adoptedAs = (x: OtherUser, u: SourceUser): ManagedUser => ({
  ...x,
  userid: u.userid,
  groupIds: [],
});

import type { ManagedUser, OtherUser } from '../pds-snapshot/snapshot.js';
import type { SourceUser } from '../source/snapshot.js';
import type { PlanContext } from './context.js';
import { dingIdentityOf } from './links.js';
import { eligible } from './adoption-index.js';
import { OWNED_FIELDS, UNKNOWN } from './owned-fields.js';
import type { AdoptedBy } from './change-action.js';
import type { PlannedFailure } from './types.js';

/** The unmanaged PDS user a DingTalk user new to this profile takes over (`sync.adoptExisting`). */
export type Adoption =
  | { readonly kind: 'none' }
  | { readonly kind: 'adopt'; readonly user: OtherUser; readonly by: AdoptedBy }
  /** More than one PDS user matches: none is taken, an admin links the right one by hand. */
  | { readonly kind: 'ambiguous'; readonly failure: PlannedFailure };

const NONE: Adoption = { kind: 'none' };

/**
 * `ding`: the PDS user already holding the person's `ding` link (the PDS console's own DingTalk
 * sync; looked up before the plan). `email` / `phone`: the one PDS user with that value.
 */
export function findAdoption(ctx: PlanContext, u: SourceUser): Adoption {
  const { o, target } = ctx;
  if (o.adoptExisting === 'off') return NONE;
  if (o.adoptExisting === 'ding') {
    const identity = dingIdentityOf(u, o);
    const owner = identity === undefined ? undefined : target.dingOwners.get(identity);
    const other = owner === undefined || owner === null ? undefined : target.others.get(owner);
    return other !== undefined && eligible(other) ? { kind: 'adopt', user: other, by: 'ding' } : NONE;
  }
  const by = o.adoptExisting;
  const key = OWNED_FIELDS[by].wanted(u, ctx.fields, o);
  if (key === UNKNOWN || key === undefined) return NONE;
  const matches = ctx.adoption?.holders(key) ?? [];
  const [first] = matches;
  if (first === undefined) return NONE;
  if (matches.length === 1) return { kind: 'adopt', user: first, by };
  const candidates = matches.map((x) => x.pdsUserId).join(', ');
  return {
    kind: 'ambiguous',
    failure: {
      userid: u.userid,
      pdsUserId: undefined,
      action: { type: 'adopt', by },
      code: 'AmbiguousAdoption',
      reason: `${matches.length} PDS users have this ${by}: link the right one by hand (${candidates})`,
      params: { candidates },
    },
  };
}

/** An adopted user as the in-scope rule sees it: managed for this DingTalk user, in no group yet. */
export const adoptedAs = (x: OtherUser, u: SourceUser): ManagedUser => ({
  ...x,
  userid: u.userid,
  groupIds: [],
});

import { mapInLane } from '../pacing/lane.js';
import type { LinkSpec, UserAction } from '../plan/types.js';
import { unlinkKey, type ApplyContext } from './context.js';
import { removeLink } from './links.js';
import { failRecord } from './users.js';

/*
 * A login identity (a phone number, a DingTalk account) resolves to one PDS user, so within a run
 * an unlink must land before another record links the same identity: a leaver's work SIM given
 * to a hire, or the `ding` link of a retired account whose userid a new person got. Users are
 * applied concurrently, so such unlinks are made first, before any record of the run starts.
 *
 * Why not a promise per identity that the linking record awaits: a record waiting holds its
 * place among the records in flight, and when more records wait than there are places, the
 * records they wait for never start (a chain of people passing phones on is enough). A first
 * pass has no such order to get wrong, and costs a pause of one round of unlinks, made only
 * when some identity is both unlinked and linked in the run (rare: phones passed on, userids
 * reused).
 */

const identityKey = (l: Pick<LinkSpec, 'type' | 'identity'>) => `${l.type}\n${l.identity}`;

const linksAdded = (a: UserAction): readonly LinkSpec[] =>
  a.kind === 'create' || a.kind === 'update' ? a.linkAdd : [];

const linksRemoved = (a: UserAction): readonly LinkSpec[] =>
  a.kind === 'update' || a.kind === 'disable' || a.kind === 'retire' || a.kind === 'leaveGroups'
    ? a.linkRemove
    : [];

/** Each record's unlinks of identities that a record of the run links. */
export function unlinksFirst(users: readonly UserAction[]): { a: UserAction; unlinks: LinkSpec[] }[] {
  const linked = new Set<string>();
  for (const a of users) for (const l of linksAdded(a)) linked.add(identityKey(l));
  if (linked.size === 0) return [];
  const out: { a: UserAction; unlinks: LinkSpec[] }[] = [];
  for (const a of users) {
    const unlinks = linksRemoved(a).filter((l) => linked.has(identityKey(l)));
    if (unlinks.length > 0) out.push({ a, unlinks });
  }
  return out;
}

/**
 * Makes the unlinks `unlinksFirst` names, concurrently. Returns those made (the records skip
 * them later) and the records whose unlink failed: they are reported with its reason and not
 * applied further (the next run plans them again).
 */
export async function applyUnlinksFirst(
  ctx: ApplyContext,
  users: readonly UserAction[],
): Promise<{ unlinked: Set<string>; failed: Set<UserAction> }> {
  const unlinked = new Set<string>();
  const failed = new Set<UserAction>();
  await mapInLane(unlinksFirst(users), ctx, async ({ a, unlinks }, signal) => {
    try {
      for (const l of unlinks) {
        await removeLink({ ...ctx, signal }, a.pdsUserId, l);
        unlinked.add(unlinkKey(a.pdsUserId, l));
      }
    } catch (err) {
      failRecord({ ...ctx, signal }, a, err);
      failed.add(a);
      ctx.onRecord?.();
    }
  });
  return { unlinked, failed };
}

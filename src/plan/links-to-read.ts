import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { SourceSnapshot, SourceUser } from '../source/snapshot.js';
import { adoptedAs, findAdoption } from './adoption.js';
import { planContext, type PlanContext } from './context.js';
import { inStep, isReentered } from './in-scope.js';
import { mustJoin } from './memberships.js';
import { ownedFieldsInStep } from './owned-fields.js';
import { leaverPhoneLogin } from './links.js';
import { isReused } from './reused.js';
import type { PlanOptions } from './types.js';
import { disabledBySync, markersInStep, planUserData } from './user-data.js';

/**
 * The PDS user whose login links plan() needs for this DingTalk user: one it will change,
 * restore, adopt or retire (their links are then planned exactly, drift included), or undefined.
 *
 * With `listedIn` the user is a sighting during the DingTalk walk: one department listing, its
 * other departments not seen yet. Then only what that listing proves counts (its own fields or
 * markers differ, or it is listed in a department whose group it is not in), so a sighting
 * never names a user the whole snapshot would not. Adoption waits for the whole snapshot.
 */
export function linksNeededFor(ctx: PlanContext, u: SourceUser, listedIn?: number): string | undefined {
  const m = ctx.target.managed.get(u.userid);
  if (m === undefined) {
    if (listedIn !== undefined) return undefined;
    const adoption = findAdoption(ctx, u);
    if (adoption.kind !== 'adopt') return undefined;
    const adopted = adoptedAs(adoption.user, u);
    return planUserData(adopted, u, ctx.o).kind === 'tooLong' ? undefined : adopted.pdsUserId;
  }
  // the previous person's account: the logins it holds are removed exactly
  if (isReused(m, u)) return m.pdsUserId;
  const changes =
    listedIn === undefined
      ? !inStep(ctx, u, m)
      : !markersInStep(m.userData, u, ctx.o) ||
        !ownedFieldsInStep(u, m, ctx.fields, ctx.o) ||
        mustJoin(listedIn, m.groupIds, ctx.groupOfDept);
  if (!changes && !isReentered(m)) return undefined;
  // a user whose user_data cannot take the sync's keys fails without a write
  return planUserData(m, u, ctx.o).kind === 'tooLong' ? undefined : m.pdsUserId;
}

/**
 * The users whose login links a run reads before its one plan(): those plan() will change,
 * restore or adopt (`linksNeededFor`), those the link journal still holds from an earlier run
 * (`pending`), and with `deep` every managed user in scope and every disabled leaver with a
 * phone. Links already read (during the walk,
 * `target.links`) are not read again.
 */
export function linksToRead(
  source: SourceSnapshot,
  target: TargetSnapshot,
  o: PlanOptions,
  pending: Iterable<string>,
  deep: boolean,
): Set<string> {
  const ctx = planContext(target, source.fields, o);
  const ids = new Set<string>();
  for (const u of source.users.values()) {
    const m = target.managed.get(u.userid);
    if (m !== undefined && target.links.has(m.pdsUserId)) continue;
    const id = deep && m !== undefined ? m.pdsUserId : linksNeededFor(ctx, u);
    if (id !== undefined) ids.add(id);
  }
  const managed = new Set<string>();
  for (const m of target.managed.values()) {
    managed.add(m.pdsUserId);
    // `deep` repairs a leaver's phone login a version before the disable removed it left behind
    const leaver = !source.users.has(m.userid) && m.status === 'disabled' && disabledBySync(m);
    if (deep && leaver && leaverPhoneLogin(m.phone, o).length > 0) ids.add(m.pdsUserId);
  }
  for (const id of pending) if (managed.has(id)) ids.add(id);
  for (const id of target.links.keys()) ids.delete(id);
  return ids;
}

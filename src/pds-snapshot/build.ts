import { mapInLane } from '../pacing/lane.js';
import { forEachInSlices } from '../pacing/slices.js';
import type { LinkInfo, PdsApi, PdsGroup, PdsUser } from '../pds/types.js';
import { pdsUserIdFor } from './identity.js';
import { isRetired, managingProfile, parseGroupMarker, UD } from './markers.js';
import type { ManagedGroup, ManagedUser, OtherUser, TargetSnapshot } from './snapshot.js';

export interface TargetReadOptions {
  readonly signal?: AbortSignal | undefined;
  /** Listings (member listings; link reads) in flight at once, paced by the PDS limit anyway. */
  readonly concurrency?: number;
  /** Users listed so far, after each page (progress). */
  readonly onUsers?: ((n: number) => void) | undefined;
}

type MutableManaged = { -readonly [K in keyof ManagedUser]: ManagedUser[K] } & { groupIds: string[] };

function toManaged(u: PdsUser, userid: string): MutableManaged {
  return {
    pdsUserId: u.user_id,
    userid,
    nickName: u.nick_name,
    phone: u.phone === '' ? undefined : u.phone,
    email: u.email === '' ? undefined : u.email,
    status: u.status === 'disabled' ? 'disabled' : 'enabled',
    role: u.role ?? 'user',
    userData: u.user_data ?? {},
    groupIds: [],
  };
}

function toOther(u: PdsUser): OtherUser {
  return {
    pdsUserId: u.user_id,
    role: u.role ?? 'user',
    status: u.status === 'disabled' ? 'disabled' : 'enabled',
    email: u.email === '' ? undefined : u.email,
    phone: u.phone === '' ? undefined : u.phone,
    managedBy: managingProfile(u.user_data),
    userData: u.user_data ?? {},
    nickName: u.nick_name,
  };
}

/** Of two PDS users claiming one DingTalk user, the one with the sync's own id wins, else the older. */
function preferred(a: MutableManaged, b: MutableManaged, createdAt: ReadonlyMap<string, number>): boolean {
  const own = pdsUserIdFor(a.userid);
  if (a.pdsUserId === own) return true;
  if (b.pdsUserId === own) return false;
  return (createdAt.get(a.pdsUserId) ?? 0) <= (createdAt.get(b.pdsUserId) ?? 0);
}

async function readUsers(pds: PdsApi, profileId: string, o: TargetReadOptions) {
  const managed = new Map<string, MutableManaged>();
  const duplicateClaims: ManagedUser[] = [];
  const others = new Map<string, OtherUser>();
  const createdAt = new Map<string, number>();
  for await (const page of pds.listUsers(o.signal)) {
    for (const u of page) {
      const userid = u.user_data?.[UD.userid];
      // a retired account (its userid went to another person) is this profile's no more: like
      // another profile's user, never changed, adopted or counted as the userid's account
      if (
        managingProfile(u.user_data) !== profileId ||
        userid === undefined ||
        userid === '' ||
        isRetired(u.user_data)
      ) {
        others.set(u.user_id, toOther(u));
        continue;
      }
      createdAt.set(u.user_id, u.created_at ?? 0);
      const m = toManaged(u, userid);
      const existing = managed.get(userid);
      if (existing === undefined) managed.set(userid, m);
      else if (preferred(existing, m, createdAt)) duplicateClaims.push(m);
      else {
        duplicateClaims.push(existing);
        managed.set(userid, m);
      }
    }
    o.onUsers?.(managed.size + duplicateClaims.length + others.size);
  }
  return { managed, duplicateClaims, others };
}

async function readGroups(pds: PdsApi, profileId: string, o: TargetReadOptions) {
  const byDept = new Map<number, PdsGroup>();
  const duplicates: PdsGroup[] = [];
  for await (const page of pds.listGroups(o.signal)) {
    for (const g of page) {
      const marker = parseGroupMarker(g.description);
      if (marker?.profileId !== profileId) continue;
      const existing = byDept.get(marker.deptId);
      if (existing === undefined) byDept.set(marker.deptId, g);
      else if ((existing.created_at ?? 0) <= (g.created_at ?? 0)) duplicates.push(g);
      else {
        duplicates.push(existing);
        byDept.set(marker.deptId, g);
      }
    }
  }
  return { byDept, duplicates };
}

/**
 * Member listings in flight while the DingTalk walk runs. The target read is not the run's
 * critical path (the walk is), but its answers share the worker's one thread with the walk's, and
 * bursts of them delay the walk's paced calls past their lateness bound. Trades the target read's
 * speed for the walk's; 8 leaves room for a real network's round trips at PDS's default limits.
 * Safe from 2 to 8; more slows the walk (docs/performance.md).
 */
const MEMBER_LISTINGS_IN_FLIGHT = 8;

/**
 * Lists the members and child groups of the managed groups: user ids per group, and each
 * managed child group's parent.
 */
async function readMemberships(pds: PdsApi, profileId: string, o: TargetReadOptions) {
  const groups = await readGroups(pds, profileId, o);
  const managedGroupIds = new Set([...groups.byDept.values()].map((g) => g.group_id));
  const members = new Map<string, string[]>();
  const parentOf = new Map<string, string>();
  await mapInLane(
    groups.byDept.values(),
    { concurrency: o.concurrency ?? MEMBER_LISTINGS_IN_FLIGHT, signal: o.signal },
    async (g, signal) => {
      const users: string[] = [];
      for await (const page of pds.listMembers(g.group_id, undefined, signal)) {
        users.push(...page.users);
        for (const child of page.groups) if (managedGroupIds.has(child)) parentOf.set(child, g.group_id);
      }
      members.set(g.group_id, users);
    },
  );
  return { groups, members, parentOf };
}

/**
 * Reads the domain as this profile sees it: every user (managed or not), the managed groups
 * (by description marker), their members and child groups. The user listing (one page after
 * the other, PDS pages by marker) and the group listings run side by side, so the read takes
 * the longer of the two, not their sum. Fails as a whole on any error.
 */
export async function buildTargetSnapshot(
  pds: PdsApi,
  profileId: string,
  o: TargetReadOptions = {},
): Promise<TargetSnapshot> {
  const [users, { groups, members, parentOf }] = await Promise.all([
    readUsers(pds, profileId, o),
    readMemberships(pds, profileId, o),
  ]);
  // in slices: the walk's paced calls go out between them (see forEachInSlices)
  const byPdsId = new Map<string, MutableManaged>();
  await forEachInSlices(users.managed.values(), (m) => byPdsId.set(m.pdsUserId, m));
  // group order, so a user's groups are listed the same way every run
  await forEachInSlices(
    groups.byDept.values(),
    (g) => {
      for (const userId of members.get(g.group_id) ?? []) byPdsId.get(userId)?.groupIds.push(g.group_id);
    },
    50, // ~20 members a group on average: ~1,000 memberships a slice
  );
  const toGroup = (deptId: number, g: PdsGroup): ManagedGroup => ({
    groupId: g.group_id,
    deptId,
    name: g.group_name,
    parentGroupId: parentOf.get(g.group_id),
    createdAt: g.created_at ?? 0,
  });
  return {
    managed: users.managed,
    duplicateClaims: users.duplicateClaims,
    others: users.others,
    groups: new Map([...groups.byDept].map(([deptId, g]) => [deptId, toGroup(deptId, g)])),
    duplicateGroups: groups.duplicates.map((g) => toGroup(parseGroupMarker(g.description)?.deptId ?? 0, g)),
    links: new Map(),
    dingOwners: new Map(),
  };
}

/** Reads the login links of some users (those a run changes, restores or adopts; all with --deep). */
export async function readLinks(
  pds: PdsApi,
  pdsUserIds: Iterable<string>,
  o: TargetReadOptions = {},
): Promise<Map<string, readonly LinkInfo[]>> {
  const out = new Map<string, readonly LinkInfo[]>();
  await mapInLane(
    new Set(pdsUserIds),
    { concurrency: o.concurrency ?? 16, signal: o.signal },
    async (id, signal) => {
      out.set(id, await pds.getLinkInfoByUserId(id, signal));
    },
  );
  return out;
}

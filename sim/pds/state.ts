import { OrderedMap } from './ordered.js';
import type { JsonObject, PdsSimState, SimGroupState, SimLinkState } from './types.js';

export interface GroupRecord {
  /** The Group object as answered (no parent, no members), kept as created or seeded. */
  obj: JsonObject;
  parent: string | null;
  isRoot: boolean;
  /** Members in the order they were added (list_member pages over them). */
  readonly users: OrderedMap<true>;
  readonly groups: OrderedMap<true>;
}

export interface LinkRecord {
  readonly user_id: string;
  readonly type: string;
  readonly identity: string;
  readonly extra: string | undefined;
  readonly created_at: number;
}

/** Links are unique per (type, identity): one login identity resolves to one user. */
export const linkKey = (type: string, identity: string) => `${type}\u0000${identity}`;

/**
 * The domain's data with the indexes every rule needs in O(1): users and groups by id (in
 * insertion order), links by (type, identity) and by user, the groups of each user.
 */
export class DomainState {
  readonly users = new OrderedMap<JsonObject>();
  readonly groups = new OrderedMap<GroupRecord>();
  readonly links = new OrderedMap<LinkRecord>();
  readonly #linksOfUser = new Map<string, Set<string>>();
  readonly #groupsOfUser = new Map<string, Set<string>>();

  clear(): void {
    this.users.clear();
    this.groups.clear();
    this.links.clear();
    this.#linksOfUser.clear();
    this.#groupsOfUser.clear();
  }

  groupsOf(userId: string): readonly string[] {
    return [...(this.#groupsOfUser.get(userId) ?? [])];
  }

  addUserToGroup(groupId: string, group: GroupRecord, userId: string): void {
    group.users.set(userId, true);
    let set = this.#groupsOfUser.get(userId);
    if (set === undefined) this.#groupsOfUser.set(userId, (set = new Set()));
    set.add(groupId);
  }

  removeUserFromGroup(groupId: string, group: GroupRecord, userId: string): void {
    group.users.delete(userId);
    this.#groupsOfUser.get(userId)?.delete(groupId);
  }

  /** Puts `child` under `parentId`: a group has one parent only. */
  attachGroup(parentId: string, parent: GroupRecord, childId: string, child: GroupRecord): void {
    parent.groups.set(childId, true);
    child.parent = parentId;
  }

  detachGroup(parent: GroupRecord, childId: string, child: GroupRecord): void {
    parent.groups.delete(childId);
    child.parent = null;
  }

  addLink(link: LinkRecord): void {
    const key = linkKey(link.type, link.identity);
    this.links.set(key, link);
    let set = this.#linksOfUser.get(link.user_id);
    if (set === undefined) this.#linksOfUser.set(link.user_id, (set = new Set()));
    set.add(key);
  }

  removeLink(link: LinkRecord): void {
    const key = linkKey(link.type, link.identity);
    this.links.delete(key);
    this.#linksOfUser.get(link.user_id)?.delete(key);
  }

  linksOf(userId: string): LinkRecord[] {
    const out: LinkRecord[] = [];
    for (const key of this.#linksOfUser.get(userId) ?? []) {
      const link = this.links.get(key);
      if (link !== undefined) out.push(link);
    }
    return out;
  }

  /** Deleting a user drops its memberships and login links with it. */
  deleteUser(userId: string): void {
    for (const groupId of this.#groupsOfUser.get(userId) ?? [])
      this.groups.get(groupId)?.users.delete(userId);
    this.#groupsOfUser.delete(userId);
    for (const link of this.linksOf(userId)) this.links.delete(linkKey(link.type, link.identity));
    this.#linksOfUser.delete(userId);
    this.users.delete(userId);
  }

  dump(): PdsSimState {
    return {
      users: [...this.users.values()],
      groups: [...this.groups.entries()].map(([id, g]) => groupState(id, g)),
      links: [...this.links.values()].map(linkState),
    };
  }
}

const GROUP_STATE_KEYS = new Set(['group_id', 'group_name', 'description', 'created_at', 'updated_at']);

/** State form of a group: fixed keys first (so a dump seeds back byte-identically), then any others. */
function groupState(id: string, g: GroupRecord): SimGroupState {
  const rest = Object.fromEntries(Object.entries(g.obj).filter(([k]) => !GROUP_STATE_KEYS.has(k)));
  return {
    group_id: id,
    group_name: g.obj.group_name as string,
    description: g.obj.description as string,
    parent_group_id: g.parent,
    is_root: g.isRoot,
    members: { users: g.users.keys(), groups: g.groups.keys() },
    created_at: g.obj.created_at as number,
    updated_at: g.obj.updated_at as number,
    ...rest,
  };
}

function linkState(l: LinkRecord): SimLinkState {
  const base = { user_id: l.user_id, type: l.type, identity: l.identity };
  return l.extra === undefined ? base : { ...base, extra: l.extra };
}

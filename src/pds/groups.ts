import type { ApiCall } from './core.js';
import { pageBody, walkPages } from './paging.js';
import { emptySchema, groupPageSchema, groupSchema, memberPageSchema } from './schemas.js';
import type { CreateGroupRequest, MemberPage, MemberType, PdsGroup, UpdateGroupRequest } from './types.js';

export const GroupPath = {
  create: '/v2/group/create',
  update: '/v2/group/update',
  get: '/v2/group/get',
  list: '/v2/group/list',
  addMember: '/v2/group/add_member',
  removeMember: '/v2/group/remove_member',
  listMember: '/v2/group/list_member',
} as const;

/** The group calls of the sync (the org tree). There is no delete. */
export class PdsGroups {
  constructor(private readonly call: ApiCall) {}

  /**
   * Exactly one of `parent_group_id` / `is_root`, as the request type enforces. Not repeated
   * after a failure that may have landed (the caller checks for the group by its marker).
   */
  create(req: CreateGroupRequest, signal?: AbortSignal): Promise<PdsGroup> {
    return this.call(GroupPath.create, { ...req }, groupSchema, {
      write: true,
      signal,
      repeatable: false,
    });
  }

  update(req: UpdateGroupRequest, signal?: AbortSignal): Promise<PdsGroup> {
    return this.call(GroupPath.update, { ...req }, groupSchema, { write: true, signal });
  }

  get(groupId: string, signal?: AbortSignal): Promise<PdsGroup> {
    return this.call(GroupPath.get, { group_id: groupId }, groupSchema, { write: false, signal });
  }

  list(signal?: AbortSignal): AsyncIterable<readonly PdsGroup[]> {
    return walkPages(GroupPath.list, async (marker) => {
      const r = await this.call(GroupPath.list, pageBody(marker), groupPageSchema, {
        write: false,
        signal,
      });
      return { page: r.items, nextMarker: r.next_marker };
    });
  }

  async addMember(
    groupId: string,
    memberType: MemberType,
    memberId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const body = { group_id: groupId, member_type: memberType, member_id: memberId };
    await this.call(GroupPath.addMember, body, emptySchema, { write: true, signal });
  }

  async removeMember(
    groupId: string,
    memberType: MemberType,
    memberId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const body = { group_id: groupId, member_type: memberType, member_id: memberId };
    await this.call(GroupPath.removeMember, body, emptySchema, { write: true, signal });
  }

  listMembers(groupId: string, memberType?: MemberType, signal?: AbortSignal): AsyncIterable<MemberPage> {
    const filter =
      memberType === undefined ? { group_id: groupId } : { group_id: groupId, member_type: memberType };
    return walkPages(GroupPath.listMember, async (marker) => {
      const r = await this.call(GroupPath.listMember, pageBody(marker, filter), memberPageSchema, {
        write: false,
        signal,
      });
      const page: MemberPage = {
        users: (r.user_items ?? []).map((u) => u.user_id),
        groups: (r.group_items ?? []).map((g) => g.group_id),
      };
      return { page, nextMarker: r.next_marker };
    });
  }
}

import type { ApiCall } from './core.js';
import { pageBody, walkPages } from './paging.js';
import { emptySchema, groupPageSchema, groupSchema, memberPageSchema } from './schemas.js';
import type { MemberPage, PdsApi } from './types.js';

export const GroupPath = {
  create: '/v2/group/create',
  update: '/v2/group/update',
  get: '/v2/group/get',
  list: '/v2/group/list',
  addMember: '/v2/group/add_member',
  removeMember: '/v2/group/remove_member',
  listMember: '/v2/group/list_member',
} as const;

export type GroupCalls = Pick<
  PdsApi,
  'createGroup' | 'updateGroup' | 'getGroup' | 'listGroups' | 'addMember' | 'removeMember' | 'listMembers'
>;

/** The group calls of the sync (the org tree). There is no delete. */
export function groupCalls(call: ApiCall): GroupCalls {
  return {
    /**
     * Exactly one of `parent_group_id` / `is_root`, as the request type enforces. Not repeated
     * after a failure that may have landed (the caller checks for the group by its marker).
     */
    createGroup: (req, signal) =>
      call(GroupPath.create, { ...req }, groupSchema, { write: true, signal, repeatable: false }),

    updateGroup: (req, signal) => call(GroupPath.update, { ...req }, groupSchema, { write: true, signal }),

    getGroup: (groupId, signal) =>
      call(GroupPath.get, { group_id: groupId }, groupSchema, { write: false, signal }),

    listGroups: (signal) =>
      walkPages(GroupPath.list, async (marker) => {
        const r = await call(GroupPath.list, pageBody(marker), groupPageSchema, { write: false, signal });
        return { page: r.items, nextMarker: r.next_marker };
      }),

    addMember: async (groupId, memberType, memberId, signal) => {
      const body = { group_id: groupId, member_type: memberType, member_id: memberId };
      await call(GroupPath.addMember, body, emptySchema, { write: true, signal });
    },

    removeMember: async (groupId, memberType, memberId, signal) => {
      const body = { group_id: groupId, member_type: memberType, member_id: memberId };
      await call(GroupPath.removeMember, body, emptySchema, { write: true, signal });
    },

    listMembers: (groupId, memberType, signal) => {
      const filter =
        memberType === undefined ? { group_id: groupId } : { group_id: groupId, member_type: memberType };
      return walkPages(GroupPath.listMember, async (marker) => {
        const r = await call(GroupPath.listMember, pageBody(marker, filter), memberPageSchema, {
          write: false,
          signal,
        });
        const page: MemberPage = {
          users: (r.user_items ?? []).map((u) => u.user_id),
          groups: (r.group_items ?? []).map((g) => g.group_id),
        };
        return { page, nextMarker: r.next_marker };
      });
    },
  };
}

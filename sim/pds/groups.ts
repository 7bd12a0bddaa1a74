import { randomUUID } from 'node:crypto';
import { groupObject, userObject, type Routes, type SimContext } from './context.js';
import { alreadyExist, invalid, notFound, SimError } from './errors.js';
import { encodeMarker, OrderedMap } from './ordered.js';
import type { GroupRecord } from './state.js';
import type { JsonObject } from './types.js';
import {
  limitOf,
  markerOf,
  optBool,
  optEnum,
  optString,
  refuse,
  reqEnum,
  reqString,
  type Body,
} from './validate.js';

const MEMBER_TYPES = ['user', 'group'] as const;

function existing(ctx: SimContext, body: Body, field = 'group_id'): [string, GroupRecord] {
  const id = reqString(body, field);
  const g = ctx.state.groups.get(id);
  if (g === undefined) throw notFound('Group', id);
  return [id, g];
}

/** Adding `childId` under `parentId` must keep a forest: no self, no root, no cycle, one parent. */
function checkCanAttach(ctx: SimContext, parentId: string, childId: string, child: GroupRecord): void {
  if (childId === parentId) throw invalid('member_id', 'cannot be the group itself');
  if (child.isRoot) throw invalid('member_id', 'is a root group and cannot have a parent');
  if (child.parent !== null && child.parent !== parentId) {
    // Not 409: the sync treats 409 on add_member as "already done", which this is not.
    throw invalid('member_id', `already belongs to group ${child.parent}: remove it there first`);
  }
  for (let at: string | null = parentId; at !== null; at = ctx.state.groups.get(at)?.parent ?? null) {
    if (at === childId) throw invalid('member_id', 'is an ancestor of the group (a cycle)');
  }
}

function memberOf(body: Body) {
  return { type: reqEnum(body, 'member_type', MEMBER_TYPES), id: reqString(body, 'member_id') };
}

export function groupRoutes(ctx: SimContext): Routes {
  const { state } = ctx;
  return {
    '/v2/group/create': {
      write: true,
      handle: (body) => {
        const name = reqString(body, 'group_name', { min: 1, max: 128 });
        const description = optString(body, 'description', { max: 1024 }) ?? '';
        const parentId = optString(body, 'parent_group_id');
        const isRoot = optBool(body, 'is_root') === true;
        const hasParent = parentId !== undefined && parentId !== '';
        if (hasParent === isRoot) {
          throw invalid('parent_group_id', 'or is_root: set exactly one of them');
        }
        const parent = hasParent ? state.groups.get(parentId) : undefined;
        if (hasParent && parent === undefined) throw notFound('Group', parentId);
        const t = ctx.now();
        const id = randomUUID().replace(/-/g, '');
        const obj: JsonObject = {
          group_id: id,
          group_name: name,
          description,
          creator: ctx.clientId,
          created_at: t,
          updated_at: t,
        };
        const record: GroupRecord = {
          obj,
          parent: null,
          isRoot,
          users: new OrderedMap(),
          groups: new OrderedMap(),
        };
        state.groups.set(id, record);
        if (parent !== undefined && parentId !== undefined) state.attachGroup(parentId, parent, id, record);
        return groupObject(ctx, obj);
      },
    },
    '/v2/group/update': {
      write: true,
      handle: (body) => {
        refuse(body, ['parent_group_id', 'is_root'], 'cannot be changed by group/update');
        const [id, g] = existing(ctx, body);
        const name = optString(body, 'group_name', { min: 1, max: 128 });
        const description = optString(body, 'description', { max: 1024 });
        g.obj = {
          ...g.obj,
          ...(name === undefined ? {} : { group_name: name }),
          ...(description === undefined ? {} : { description }),
          updated_at: ctx.now(),
        };
        state.groups.set(id, g);
        return groupObject(ctx, g.obj);
      },
    },
    '/v2/group/get': { write: false, handle: (body) => groupObject(ctx, existing(ctx, body)[1].obj) },
    '/v2/group/delete': {
      write: true,
      handle: (body) => {
        const [id, g] = existing(ctx, body);
        if (g.users.size > 0 || g.groups.size > 0) {
          throw new SimError(400, 'NotEmpty', `The group ${id} is not empty: remove its members first.`);
        }
        const parent = g.parent === null ? undefined : state.groups.get(g.parent);
        if (parent !== undefined) state.detachGroup(parent, id, g);
        state.groups.delete(id);
        return undefined;
      },
    },
    '/v2/group/list': {
      write: false,
      handle: (body) => {
        const p = state.groups.page(markerOf(body, ['g'])?.seq ?? 0, limitOf(body));
        return {
          items: p.items.map(([, g]) => groupObject(ctx, g.obj)),
          next_marker: p.next === undefined ? '' : encodeMarker('g', p.next),
        };
      },
    },
    '/v2/group/add_member': {
      write: true,
      handle: (body) => {
        const [gid, g] = existing(ctx, body);
        const member = memberOf(body);
        if (member.type === 'user') {
          if (!state.users.has(member.id)) throw notFound('User', member.id);
          // Already a member: 409, as PDS answers a duplicate relation (our reading; the
          // engine treats `{}` and 409 alike).
          if (g.users.has(member.id)) throw alreadyExist('Membership', `${member.id} in ${gid}`);
          state.addUserToGroup(gid, g, member.id);
        } else {
          const child = state.groups.get(member.id);
          if (child === undefined) throw notFound('Group', member.id);
          if (g.groups.has(member.id)) throw alreadyExist('Membership', `${member.id} in ${gid}`);
          checkCanAttach(ctx, gid, member.id, child);
          state.attachGroup(gid, g, member.id, child);
        }
        return {};
      },
    },
    '/v2/group/remove_member': {
      write: true,
      handle: (body) => {
        const [gid, g] = existing(ctx, body);
        const member = memberOf(body);
        if (member.type === 'user') {
          if (!g.users.has(member.id)) throw notFound('Membership', `${member.id} in ${gid}`);
          state.removeUserFromGroup(gid, g, member.id);
        } else {
          const child = state.groups.get(member.id);
          if (child === undefined || !g.groups.has(member.id))
            throw notFound('Membership', `${member.id} in ${gid}`);
          state.detachGroup(g, member.id, child);
        }
        return {};
      },
    },
    '/v2/group/list_member': {
      write: false,
      handle: (body) => {
        const [, g] = existing(ctx, body);
        const type = optEnum(body, 'member_type', MEMBER_TYPES);
        return listMembers(ctx, g, type, body);
      },
    },
  };
}

/**
 * One page of a group's members. Without `member_type` users come first, then groups, under
 * one marker (`u:<seq>` or `g:<seq>`).
 */
function listMembers(
  ctx: SimContext,
  g: GroupRecord,
  type: 'user' | 'group' | undefined,
  body: Body,
): JsonObject {
  const limit = limitOf(body);
  const kinds = type === 'user' ? ['u'] : type === 'group' ? ['g'] : ['u', 'g'];
  const at = markerOf(body, kinds) ?? { kind: kinds[0] ?? 'u', seq: 0 };
  const userIds: string[] = [];
  const groupIds: string[] = [];
  let next: string | undefined;
  if (at.kind === 'u') {
    const p = g.users.page(at.seq, limit);
    userIds.push(...p.items.map(([id]) => id));
    if (p.next !== undefined) next = encodeMarker('u', p.next);
  }
  if (next === undefined && type !== 'user') {
    const p = g.groups.page(at.kind === 'g' ? at.seq : 0, limit - userIds.length);
    groupIds.push(...p.items.map(([id]) => id));
    if (p.next !== undefined) next = encodeMarker('g', p.next);
  }
  const users = ctx.state.users;
  const groups = ctx.state.groups;
  return {
    user_items: userIds.flatMap((id) => {
      const u = users.get(id);
      return u === undefined ? [] : [userObject(ctx, u)];
    }),
    group_items: groupIds.flatMap((id) => {
      const child = groups.get(id);
      return child === undefined ? [] : [groupObject(ctx, child.obj)];
    }),
    next_marker: next ?? '',
  };
}

import type { Routes, SimContext } from './context.js';
import { userObject } from './context.js';
import { alreadyExist, invalid, notFound, outOfRange, SimError } from './errors.js';
import { encodeMarker } from './ordered.js';
import type { JsonObject } from './types.js';
import { limitOf, markerOf, optEnum, optString, refuse, reqString, type Body } from './validate.js';

const ROLES = ['user', 'admin', 'superadmin', 'subdomain_super_admin', 'subdomain_admin'] as const;
const STATUSES = ['enabled', 'disabled'] as const;
/** `user_data` ≤ 1024 chars in all: counted here as the length of the map's JSON text (unconfirmed). */
const USER_DATA_MAX = 1024;

/** Fields shared by create and update, each checked against PDS's documented limits. */
function userFields(body: Body): JsonObject {
  const out: JsonObject = {};
  const put = (k: string, v: unknown) => {
    if (v !== undefined) out[k] = v;
  };
  put('nick_name', optString(body, 'nick_name', { max: 128 }));
  put('phone', optString(body, 'phone'));
  put('email', optString(body, 'email'));
  put('role', optEnum(body, 'role', ROLES));
  put('status', optEnum(body, 'status', STATUSES));
  put('description', optString(body, 'description', { max: 1024 }));
  put('avatar', optString(body, 'avatar', { max: 4096 }));
  put('user_data', userDataOf(body));
  return out;
}

function userDataOf(body: Body): Record<string, string> | undefined {
  const v = body.user_data;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('user_data', 'must be a map of strings');
  for (const value of Object.values(v)) {
    if (typeof value !== 'string') throw invalid('user_data', 'must be a map of strings');
  }
  if (JSON.stringify(v).length > USER_DATA_MAX) {
    throw outOfRange('user_data', `must be at most ${USER_DATA_MAX} characters in all (as JSON)`);
  }
  return v as Record<string, string>;
}

/** `group_info_list: [{group_id}]`; every group must exist. */
function groupIdsOf(ctx: SimContext, body: Body): string[] | undefined {
  const v = body.group_info_list;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid('group_info_list', 'must be a list of {group_id}');
  const ids = v.map((item: unknown) => {
    const id = (item as { group_id?: unknown } | null)?.group_id;
    if (typeof id !== 'string' || id === '') throw invalid('group_info_list', 'must be a list of {group_id}');
    if (!ctx.state.groups.has(id)) throw notFound('Group', id);
    return id;
  });
  return [...new Set(ids)];
}

function userIdOf(body: Body): string {
  const id = reqString(body, 'user_id', { max: 64 });
  if (id.includes('#')) throw invalid('user_id', 'must not contain "#"');
  return id;
}

function existing(ctx: SimContext, body: Body): [string, JsonObject] {
  const id = reqString(body, 'user_id');
  const user = ctx.state.users.get(id);
  if (user === undefined) throw notFound('User', id);
  return [id, user];
}

/** Memberships set by `group_info_list` (create adds, update replaces). */
function setGroups(ctx: SimContext, userId: string, groupIds: readonly string[]): void {
  const { state } = ctx;
  const wanted = new Set(groupIds);
  for (const gid of state.groupsOf(userId)) {
    const g = state.groups.get(gid);
    if (g !== undefined && !wanted.has(gid)) state.removeUserFromGroup(gid, g, userId);
  }
  for (const gid of groupIds) {
    const g = state.groups.get(gid);
    if (g !== undefined) state.addUserToGroup(gid, g, userId);
  }
}

const SEARCH_EXACT = ['email', 'phone', 'role', 'status'] as const;
/** Name filters match a substring (the console searches names fuzzily; unconfirmed for the API). */
const SEARCH_CONTAINS = ['nick_name', 'user_name'] as const;

export function userRoutes(ctx: SimContext): Routes {
  const { state } = ctx;
  const page = (body: Body, accept?: (u: JsonObject) => boolean) => {
    const limit = limitOf(body);
    const from = markerOf(body, ['u'])?.seq ?? 0;
    const p = state.users.page(from, limit, accept);
    return {
      items: p.items.map(([, u]) => userObject(ctx, u)),
      next_marker: p.next === undefined ? '' : encodeMarker('u', p.next),
    };
  };

  return {
    '/v2/user/create': {
      write: true,
      handle: (body) => {
        const userId = userIdOf(body);
        const fields = userFields(body);
        const userName = optString(body, 'user_name', { max: 128 });
        const groupIds = groupIdsOf(ctx, body);
        if (state.users.has(userId)) throw alreadyExist('User', userId);
        if (ctx.userQuota !== undefined && state.users.size >= ctx.userQuota) {
          throw new SimError(
            400,
            'QuotaExhausted',
            `The domain's user quota (${ctx.userQuota}) is exhausted.`,
          );
        }
        const t = ctx.now();
        const user: JsonObject = {
          user_id: userId,
          ...(userName === undefined ? {} : { user_name: userName }),
          role: 'user',
          status: 'enabled',
          user_data: {},
          ...fields,
          creator: ctx.clientId,
          created_at: t,
          updated_at: t,
        };
        state.users.set(userId, user);
        if (groupIds !== undefined) setGroups(ctx, userId, groupIds);
        return userObject(ctx, user);
      },
    },
    '/v2/user/get': { write: false, handle: (body) => userObject(ctx, existing(ctx, body)[1]) },
    '/v2/user/update': {
      write: true,
      handle: (body) => {
        // user_name is fixed after create: refused, so a client that sends it is caught.
        refuse(body, ['user_name'], 'cannot be changed by user/update');
        const [id, old] = existing(ctx, body);
        const fields = userFields(body);
        const groupIds = groupIdsOf(ctx, body);
        // user_data and group_info_list REPLACE (reference: assume replace, never merge).
        const user: JsonObject = { ...old, ...fields, updated_at: ctx.now() };
        state.users.set(id, user);
        if (groupIds !== undefined) setGroups(ctx, id, groupIds);
        return userObject(ctx, user);
      },
    },
    '/v2/user/delete': {
      write: true,
      handle: (body) => {
        state.deleteUser(existing(ctx, body)[0]);
        return undefined;
      },
    },
    '/v2/user/list': { write: false, handle: (body) => page(body) },
    '/v2/user/search': {
      write: false,
      handle: (body) => {
        const exact = SEARCH_EXACT.map((f) => [f, optString(body, f)] as const).filter(
          ([, v]) => v !== undefined,
        );
        const contains = SEARCH_CONTAINS.map((f) => [f, optString(body, f)] as const).filter(
          ([, v]) => v !== undefined && v !== '',
        );
        return page(
          body,
          (u) =>
            exact.every(([f, v]) => u[f] === v) &&
            contains.every(([f, v]) => typeof u[f] === 'string' && u[f].includes(v ?? '')),
        );
      },
    },
  };
}

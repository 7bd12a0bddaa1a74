import {
  bodyObject,
  departmentInScope,
  intParam,
  userInScope,
  type Route,
  type SimState,
} from './context.js';
import { oapiError, oapiOk, type SimResponse } from './envelope.js';
import { guardOapi } from './guards.js';
import { hiddenFields, wireUser } from './wire-user.js';

const ORDER_FIELDS = new Set(['entry_asc', 'entry_desc', 'modify_asc', 'modify_desc', 'custom']);

interface Page {
  readonly deptId: number;
  readonly cursor: number;
  readonly size: number;
}

/**
 * Parameters of a user page (TOP-SDK OapiV2UserListRequest.check): dept_id ≥ 1, cursor ≥ 0,
 * size 1–100, all required. `codes` are the endpoint's own codes for a bad size/cursor.
 */
function pageOf(
  body: Record<string, unknown> | undefined,
  state: SimState,
  codes: { size: number; cursor: number },
): Page | SimResponse {
  const deptId = intParam(body, 'dept_id', 1);
  const cursor = intParam(body, 'cursor', 0);
  const size = intParam(body, 'size', 1, 100);
  for (const [key, v] of [
    ['dept_id', deptId],
    ['cursor', cursor],
    ['size', size],
  ] as const) {
    if (v === 'missing') return oapiError(40035, `缺少参数 ${key}`);
  }
  if (deptId === 'invalid' || deptId === 'missing') return oapiError(400002, '无效的参数 dept_id');
  if (cursor === 'invalid' || cursor === 'missing') return oapiError(codes.cursor, '无效的cursor');
  if (size === 'invalid' || size === 'missing') return oapiError(codes.size, '无效的size');
  const order = body?.order_field;
  if (order !== undefined && (typeof order !== 'string' || !ORDER_FIELDS.has(order))) {
    return oapiError(400002, '无效的参数 order_field');
  }
  if (!state.store.departments.has(deptId)) return oapiError(60003, '部门不存在');
  if (!departmentInScope(state, deptId)) return oapiError(50004, '部门不在授权范围');
  return { deptId, cursor, size };
}

/** One page of a department's own members: O(page) from the precomputed member array. */
function slice(state: SimState, p: Page): { ids: readonly string[]; hasMore: boolean } {
  const members = state.store.members.get(p.deptId) ?? [];
  const end = p.cursor + p.size;
  return { ids: members.slice(p.cursor, end), hasMore: end < members.length };
}

/** `POST /topapi/v2/user/list`: full users of ONE department, cursor paging. */
export const listUsers: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const p = pageOf(bodyObject(req), state, { size: 400002, cursor: 400002 });
  if (!('deptId' in p)) return p;
  if (state.faults.failUserListDepts.includes(p.deptId)) return oapiError(-1, '系统繁忙');
  const { ids, hasMore } = slice(state, p);
  const hidden = hiddenFields(state.faults);
  const drop = state.faults.dropFromUserList;
  const dropped = (id: string) =>
    drop !== null && drop.userid === id && (drop.deptId === undefined || drop.deptId === p.deptId);
  const list = ids.flatMap((id) => {
    const u = state.store.users.get(id);
    return u === undefined || dropped(id) ? [] : [wireUser(u, hidden)];
  });
  return oapiOk({ has_more: hasMore, ...(hasMore ? { next_cursor: p.cursor + p.size } : {}), list });
};

/** `POST /topapi/user/listsimple`: `{userid, name}` only; 40069 bad size, 40068 bad cursor. */
export const listSimple: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const p = pageOf(bodyObject(req), state, { size: 40069, cursor: 40068 });
  if (!('deptId' in p)) return p;
  const { ids, hasMore } = slice(state, p);
  const list = ids.flatMap((id) => {
    const u = state.store.users.get(id);
    return u === undefined ? [] : [{ userid: u.userid, name: u.name }];
  });
  return oapiOk({ has_more: hasMore, ...(hasMore ? { next_cursor: p.cursor + p.size } : {}), list });
};

/** `POST /topapi/v2/user/get`: 33012 bad userid, 60121 not found (resigned), 50002 outside scope. */
export const getUser: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const userid = bodyObject(req)?.userid;
  if (typeof userid !== 'string' || userid === '' || userid.length > 64)
    return oapiError(33012, '无效的USERID');
  const u = state.store.users.get(userid);
  if (u === undefined) return oapiError(60121, '找不到该用户');
  if (!userInScope(state, userid, u.dept_id_list)) return oapiError(50002, '员工不在授权范围');
  return oapiOk(wireUser(u, hiddenFields(state.faults)));
};

/** `POST /topapi/user/count` `{"only_active": false}` (required, 40035 without); ignores scope. */
export const countUsers: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const onlyActive = bodyObject(req)?.only_active;
  if (typeof onlyActive !== 'boolean') return oapiError(40035, '缺少参数 only_active');
  let count = state.store.users.size;
  if (onlyActive) {
    count = 0;
    for (const u of state.store.users.values()) if (u.active) count++;
  }
  return oapiOk({ count });
};

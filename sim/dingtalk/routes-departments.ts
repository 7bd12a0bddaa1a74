import { bodyObject, departmentInScope, intParam, type Route, type SimState } from './context.js';
import { oapiError, oapiOk, type SimResponse } from './envelope.js';
import { guardOapi } from './guards.js';
import { HOME_SCHOOL_DEPT_ID, ROOT_DEPT_ID } from './org-types.js';

const HOME_SCHOOL = { dept_id: HOME_SCHOOL_DEPT_ID, name: '家校通讯录', parent_id: ROOT_DEPT_ID };

/**
 * `dept_id` of the department endpoints: defaults to 1; < 1 (the home-school -7 included)
 * is invalid; unknown is 60003; `scoped` endpoints answer 50004 outside the authorised scope.
 */
function deptOf(
  body: Record<string, unknown> | undefined,
  state: SimState,
  scoped: boolean,
): number | SimResponse {
  const raw = intParam(body, 'dept_id', 1);
  if (raw === 'invalid') return oapiError(400002, '无效的参数 dept_id');
  const id = raw === 'missing' ? ROOT_DEPT_ID : raw;
  if (!state.store.departments.has(id)) return oapiError(60003, '部门不存在');
  if (scoped && !departmentInScope(state, id)) return oapiError(50004, '部门不在授权范围');
  return id;
}

/** `POST /topapi/v2/department/listsub`: direct children, no paging. */
export const listSub: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const id = deptOf(bodyObject(req), state, true);
  if (typeof id !== 'number') return id;
  const result: Record<string, unknown>[] = [];
  for (const childId of state.store.children.get(id) ?? []) {
    const d = state.store.departments.get(childId);
    if (d === undefined) continue;
    result.push({
      auto_add_user: true,
      create_dept_group: true,
      dept_id: d.dept_id,
      name: d.name,
      parent_id: id,
    });
  }
  if (id === ROOT_DEPT_ID) result.push({ auto_add_user: false, create_dept_group: false, ...HOME_SCHOOL });
  return oapiOk(result);
};

/** `POST /topapi/v2/department/listsubid`: child ids; ignores the authorised scope. */
export const listSubId: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const id = deptOf(bodyObject(req), state, false);
  if (typeof id !== 'number') return id;
  const ids = [...(state.store.children.get(id) ?? [])];
  if (id === ROOT_DEPT_ID) ids.push(HOME_SCHOOL_DEPT_ID);
  return oapiOk({ dept_id_list: ids });
};

/** `POST /topapi/v2/department/get`: details; `member_count` includes sub-departments. */
export const getDepartment: Route = (req, state) => {
  const denied = guardOapi(req, state);
  if (denied !== undefined) return denied;
  const body = bodyObject(req);
  if (body?.dept_id === undefined) return oapiError(40035, '缺少参数 dept_id');
  const id = deptOf(body, state, true);
  if (typeof id !== 'number') return id;
  const d = state.store.department(id);
  return oapiOk({
    dept_id: d.dept_id,
    name: d.name,
    ...(d.parent_id === undefined ? {} : { parent_id: d.parent_id }),
    auto_add_user: true,
    create_dept_group: true,
    member_count: state.store.memberCount(id),
    owning_member_count: state.store.members.get(id)?.length ?? 0,
  });
};

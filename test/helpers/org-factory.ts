import type { SimDepartment, SimOrgData, SimUser } from '../../sim/dingtalk/org-types.js';

/**
 * A small explicit org for scope tests:
 *
 *   1 公司 ── 10 研发部 ── 11 前端组 ── 12 组件小组
 *        │            └── 13 后端组
 *        └── 20 市场部 ── 21 华东区
 *                      └── 22 研发部   (same name as 10, other parent)
 *
 * `members` gives each department's user count; users are numbered u<dept>-<n>; `shared`
 * users sit in 11 and 21 at once.
 */
export function buildOrg(members: Partial<Record<number, number>> = {}, shared = 2): SimOrgData {
  const departments: SimDepartment[] = [
    { dept_id: 1, name: '公司' },
    { dept_id: 10, name: '研发部', parent_id: 1 },
    { dept_id: 11, name: '前端组', parent_id: 10 },
    { dept_id: 12, name: '组件小组', parent_id: 11 },
    { dept_id: 13, name: '后端组', parent_id: 10 },
    { dept_id: 20, name: '市场部', parent_id: 1 },
    { dept_id: 21, name: '华东区', parent_id: 20 },
    { dept_id: 22, name: '研发部', parent_id: 20 },
  ];
  const counts: Record<number, number> = {
    1: 1,
    10: 2,
    11: 3,
    12: 2,
    13: 3,
    20: 2,
    21: 3,
    22: 1,
    ...members,
  };
  const users: SimUser[] = [];
  for (const d of departments) {
    for (let n = 0; n < (counts[d.dept_id] ?? 0); n++) users.push(user(`u${d.dept_id}-${n}`, [d.dept_id]));
  }
  for (let n = 0; n < shared; n++) users.push(user(`0${String(n).padStart(17, '0')}`, [11, 21]));
  return { departments, users };
}

export function user(userid: string, deptIds: number[], extra: Partial<SimUser> = {}): SimUser {
  return {
    userid,
    unionid: `union-${userid}`,
    name: `员工${userid}`,
    mobile: `138${String(userid.length * 1000 + userid.charCodeAt(userid.length - 1)).padStart(8, '0')}`,
    state_code: '86',
    email: `${userid}@example.com`,
    active: true,
    admin: false,
    boss: false,
    hide_mobile: false,
    exclusive_account: false,
    dept_id_list: deptIds,
    ...extra,
  };
}

/** Departments under (and including) `root`. */
export function subtree(org: SimOrgData, root: number): Set<number> {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of org.departments) {
      if (d.parent_id !== undefined && out.has(d.parent_id) && !out.has(d.dept_id)) {
        out.add(d.dept_id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * The minimal call budget of a walk (reference §8 and the issue): listsub per department,
 * ⌈members/100⌉ user/list per department (at least one).
 */
export function budgetOf(
  org: SimOrgData,
  departments: ReadonlySet<number>,
): { listsub: number; userList: number } {
  const members = new Map<number, number>();
  for (const u of org.users) for (const id of u.dept_id_list) members.set(id, (members.get(id) ?? 0) + 1);
  let userList = 0;
  for (const id of departments) userList += Math.max(1, Math.ceil((members.get(id) ?? 0) / 100));
  return { listsub: departments.size, userList };
}

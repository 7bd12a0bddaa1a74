import { generateOrg, userIdOf } from '../../sim/dingtalk/org-generator.js';
import {
  ROOT_DEPT_ID,
  type SimDepartment,
  type SimOrgData,
  type SimUser,
} from '../../sim/dingtalk/org-types.js';

/** A group company: one DingTalk organisation whose top departments are its subsidiaries. */
export interface GroupOrg {
  readonly org: SimOrgData;
  /** The subsidiaries' top department ids: each is one profile's `sync.scope`. */
  readonly subsidiaries: readonly number[];
}

/** Department ids of subsidiary k are k × this + the generated id (generated ids stay far below it). */
const ID_BLOCK = 1_000_000;

/**
 * `count` subsidiaries of `usersEach` people in `departmentsEach` departments each, generated
 * with generateOrg's shapes (a big department, people in several departments, no phone, …)
 * and put under one root. Userids are numbered across the whole group (`userIdOf`), so they
 * stay unique and keep their real shapes; hires made later continue the numbering.
 */
export function groupCompanyOrg(
  seed: number,
  count: number,
  usersEach: number,
  departmentsEach: number,
): GroupOrg {
  const departments: SimDepartment[] = [{ dept_id: ROOT_DEPT_ID, name: '模拟集团' }];
  const users: SimUser[] = [];
  const subsidiaries: number[] = [];
  for (let k = 1; k <= count; k++) {
    const sub = generateOrg({ seed: seed * 10_000 + k, users: usersEach, departments: departmentsEach });
    const idOf = (id: number) => {
      if (id >= ID_BLOCK) throw new Error(`department id ${id} is beyond the subsidiary's block`);
      return k * ID_BLOCK + id;
    };
    subsidiaries.push(idOf(ROOT_DEPT_ID));
    for (const d of sub.departments) {
      departments.push(
        d.parent_id === undefined
          ? { dept_id: idOf(d.dept_id), name: `第${k}子公司`, parent_id: ROOT_DEPT_ID }
          : { dept_id: idOf(d.dept_id), name: d.name, parent_id: idOf(d.parent_id) },
      );
    }
    sub.users.forEach((u, i) =>
      users.push({ ...u, userid: userIdOf((k - 1) * usersEach + i), dept_id_list: u.dept_id_list.map(idOf) }),
    );
  }
  return { org: { departments, users }, subsidiaries };
}

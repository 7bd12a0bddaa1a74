/**
 * A managed user's memberships follow its DingTalk departments: it joins the group of each of
 * them (groups yet to be created are joined by department id) and leaves every other managed
 * group. Groups the sync does not manage are never listed, so never left.
 */

/** Joins and leaves that make a user's managed groups match its departments. */
export function membershipDiff(
  deptIds: readonly number[],
  groupIds: readonly string[],
  groupOfDept: ReadonlyMap<number, string>,
): { addDeptIds: number[]; removeGroupIds: string[] } {
  const wanted = new Set<string>();
  const addDeptIds: number[] = [];
  for (const deptId of deptIds) {
    const groupId = groupOfDept.get(deptId);
    if (groupId === undefined) addDeptIds.push(deptId);
    else {
      wanted.add(groupId);
      if (!groupIds.includes(groupId)) addDeptIds.push(deptId);
    }
  }
  return { addDeptIds, removeGroupIds: groupIds.filter((g) => !wanted.has(g)) };
}

/** The user must join the group of this department (one listing seen, or one of all). */
export function mustJoin(
  deptId: number,
  groupIds: readonly string[],
  groupOfDept: ReadonlyMap<number, string>,
): boolean {
  const g = groupOfDept.get(deptId);
  return g === undefined || !groupIds.includes(g);
}

/** `membershipDiff` is empty, decided without allocating (one group per department). */
export function groupsInStep(
  deptIds: readonly number[],
  groupIds: readonly string[],
  groupOfDept: ReadonlyMap<number, string>,
): boolean {
  if (deptIds.length !== groupIds.length) return false;
  for (const deptId of deptIds) if (mustJoin(deptId, groupIds, groupOfDept)) return false;
  return true;
}

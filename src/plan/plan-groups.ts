import type { SourceSnapshot } from '../source/snapshot.js';
import { groupNameOf } from '../pds-snapshot/markers.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { GroupAction, PlanNotice } from './types.js';

/** Source departments parent-first (breadth-first from the scope roots). */
export function departmentsParentFirst(source: SourceSnapshot): number[] {
  const children = new Map<number, number[]>();
  for (const d of source.departments.values()) {
    if (d.parentId === undefined) continue;
    const list = children.get(d.parentId);
    if (list === undefined) children.set(d.parentId, [d.id]);
    else list.push(d.id);
  }
  const order: number[] = [];
  const seen = new Set<number>();
  const queue = source.roots.filter((r) => source.departments.has(r));
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as number;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    for (const c of (children.get(id) ?? []).sort((a, b) => a - b)) queue.push(c);
  }
  return order;
}

export interface GroupPlan {
  readonly actions: GroupAction[];
  readonly notices: PlanNotice[];
}

/**
 * Departments → groups: create missing ones parent-first, rename renamed ones. A department
 * that is gone keeps its group (groups can own drives); a moved one keeps its place (PDS
 * documents no way to re-parent a group) and is reported for manual action.
 */
export function planGroups(source: SourceSnapshot, target: TargetSnapshot): GroupPlan {
  const actions: GroupAction[] = [];
  const notices: PlanNotice[] = [];
  const roots = new Set(source.roots);
  for (const deptId of departmentsParentFirst(source)) {
    const dept = source.departments.get(deptId);
    if (dept === undefined) continue;
    const isRoot = roots.has(deptId) || dept.parentId === undefined;
    const name = groupNameOf(dept.name);
    const group = target.groups.get(deptId);
    if (group === undefined) {
      actions.push({ kind: 'createGroup', deptId, name, parentDeptId: isRoot ? undefined : dept.parentId });
      continue;
    }
    if (group.name !== name) {
      actions.push({ kind: 'renameGroup', deptId, groupId: group.groupId, from: group.name, to: name });
    }
    const expectedParent =
      isRoot || dept.parentId === undefined ? undefined : target.groups.get(dept.parentId)?.groupId;
    const parentIsNew = !isRoot && dept.parentId !== undefined && !target.groups.has(dept.parentId);
    if (parentIsNew || group.parentGroupId !== expectedParent) {
      notices.push({
        kind: 'departmentMoved',
        deptId,
        groupId: group.groupId,
      });
    }
  }
  for (const group of target.groups.values()) {
    if (source.departments.has(group.deptId)) continue;
    notices.push({
      kind: 'departmentGone',
      deptId: group.deptId,
      groupId: group.groupId,
    });
  }
  for (const dup of target.duplicateGroups) {
    notices.push({
      kind: 'duplicateGroup',
      deptId: dup.deptId,
      groupId: dup.groupId,
    });
  }
  return { actions, notices };
}

import type { Plan, UserAction } from '../plan/types.js';
import type { PlannedCounts } from './types.js';

/** An update that only joins or leaves groups: no field, user_data or link change. */
export function isMembershipOnly(a: UserAction): boolean {
  if (a.kind === 'leaveGroups') return a.removeGroupIds.length > 0 && a.linkRemove.length === 0;
  if (a.kind !== 'update' || a.reason !== 'changed') return false;
  return (
    Object.keys(a.fields).length === 0 &&
    a.userData === undefined &&
    a.linkAdd.length === 0 &&
    a.linkRemove.length === 0 &&
    (a.addDeptIds.length > 0 || a.removeGroupIds.length > 0)
  );
}

/** What a plan would write, counted as the report counts applied writes. */
export function plannedCounts(p: Plan): PlannedCounts {
  const c: PlannedCounts = {
    created: 0,
    updated: 0,
    disabled: 0,
    adopted: 0,
    membershipOnly: 0,
    failed: p.failures.length,
    groupsCreated: 0,
    groupsUpdated: 0,
    membershipsAdded: 0,
    membershipsRemoved: 0,
    linksAdded: 0,
    linksRemoved: 0,
  };
  for (const g of p.groups) {
    if (g.kind === 'createGroup') c.groupsCreated++;
    else c.groupsUpdated++;
  }
  for (const a of p.users) {
    if (isMembershipOnly(a)) c.membershipOnly++;
    switch (a.kind) {
      case 'create':
        c.created++;
        c.membershipsAdded += a.deptIds.length;
        c.linksAdded += a.linkAdd.length;
        break;
      case 'update':
        // as apply counts: a user counts as updated or adopted when its fields or user_data change
        if (Object.keys(a.fields).length > 0 || a.userData !== undefined) {
          if (a.reason === 'adopted') c.adopted++;
          else c.updated++;
        }
        c.membershipsAdded += a.addDeptIds.length;
        c.membershipsRemoved += a.removeGroupIds.length;
        c.linksAdded += a.linkAdd.length;
        c.linksRemoved += a.linkRemove.length;
        break;
      case 'disable':
        c.disabled++;
        c.membershipsRemoved += a.removeGroupIds.length;
        c.linksRemoved += a.linkRemove.length;
        break;
      case 'retire':
        if (a.disable) c.disabled++;
        else c.updated++;
        c.membershipsRemoved += a.removeGroupIds.length;
        c.linksRemoved += a.linkRemove.length;
        break;
      case 'leaveGroups':
        c.membershipsRemoved += a.removeGroupIds.length;
        c.linksRemoved += a.linkRemove.length;
        break;
    }
  }
  return c;
}

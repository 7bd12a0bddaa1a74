import type { ChangeAction } from '../plan/change-action.js';
import type { GroupAction, Plan, UserAction } from '../plan/types.js';
import type { RunChange } from './types.js';

/** The change a planned user action makes: applied, shown in a dry run, or failed. */
export function userChangeAction(a: UserAction): ChangeAction {
  if (a.kind === 'disable')
    return {
      type: 'disable',
      reason: a.reason,
      ...(a.leaveReason === undefined ? {} : { leaveReason: a.leaveReason }),
    };
  if (a.kind !== 'update') return { type: a.kind };
  switch (a.reason) {
    case 'changed':
      return { type: 'update' };
    case 'reentered':
      return { type: 'restore' };
    case 'adopted':
      return { type: 'adopt', by: a.adoptedBy };
  }
}

/** The change a planned group action makes. */
export function groupChangeAction(g: GroupAction): ChangeAction {
  return g.kind === 'createGroup'
    ? { type: 'createGroup', deptId: g.deptId, name: g.name }
    : { type: 'renameGroup', groupId: g.groupId, name: g.to };
}

/** The plan as changes (dry runs and held runs show what would be done), one by one. */
export function recordPlannedChanges(p: Plan, record: (c: RunChange) => void): void {
  for (const g of p.groups) {
    const action = groupChangeAction(g);
    if (g.kind === 'createGroup') record({ action, fields: { group_name: [undefined, g.name] } });
    else record({ action, groupId: g.groupId, fields: { group_name: [g.from, g.to] } });
  }
  for (const a of p.users) {
    const base = { action: userChangeAction(a), dingtalkUserId: a.userid, pdsUserId: a.pdsUserId };
    switch (a.kind) {
      case 'create':
        record({
          ...base,
          fields: Object.fromEntries(Object.entries(a.fields).map(([k, v]) => [k, [undefined, v] as const])),
        });
        break;
      case 'update':
        record({ ...base, fields: a.changes });
        break;
      case 'disable':
        record({ ...base, fields: { status: ['enabled', 'disabled'] } });
        break;
      case 'retire':
        record({ ...base, fields: a.disable ? { status: ['enabled', 'disabled'] } : {} });
        break;
      case 'leaveGroups':
        record(base);
        break;
    }
  }
}

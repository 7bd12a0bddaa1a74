import type { Plan } from '../plan/types.js';
import type { RunChange } from './types.js';

/** The plan as changes (dry runs and held runs show what would be done), one by one. */
export function recordPlannedChanges(p: Plan, record: (c: RunChange) => void): void {
  for (const g of p.groups) {
    if (g.kind === 'createGroup')
      record({ action: 'createGroup', deptId: g.deptId, fields: { group_name: [undefined, g.name] } });
    else
      record({
        action: 'renameGroup',
        deptId: g.deptId,
        groupId: g.groupId,
        fields: { group_name: [g.from, g.to] },
      });
  }
  for (const a of p.users) {
    const base = { dingtalkUserId: a.userid, pdsUserId: a.pdsUserId };
    switch (a.kind) {
      case 'create':
        record({
          action: 'create',
          ...base,
          fields: Object.fromEntries(Object.entries(a.fields).map(([k, v]) => [k, [undefined, v] as const])),
        });
        break;
      case 'update':
        record({
          action:
            a.reason === 'changed'
              ? 'update'
              : a.reason === 'adopted'
                ? `adopt(${a.adoptedBy ?? ''})`
                : 'restore',
          ...base,
          fields: a.changes,
        });
        break;
      case 'disable':
        record({ action: 'disable', ...base, fields: { status: ['enabled', 'disabled'] } });
        break;
      case 'leaveGroups':
        record({ action: 'leaveGroups', ...base });
        break;
    }
  }
}

import { maskChanges } from '../apply/outcome.js';
import type { Plan } from '../plan/types.js';
import type { RunChange } from './types.js';

/** The plan as a change list (dry runs and held runs show what would be done). Masked. */
export function plannedChanges(p: Plan): RunChange[] {
  const out: RunChange[] = [];
  for (const g of p.groups) {
    if (g.kind === 'createGroup')
      out.push({ action: 'createGroup', deptId: g.deptId, fields: { group_name: [undefined, g.name] } });
    else
      out.push({
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
        out.push({
          action: 'create',
          ...base,
          fields: maskChanges(
            Object.fromEntries(Object.entries(a.fields).map(([k, v]) => [k, [undefined, v]])),
          ),
        });
        break;
      case 'update':
        out.push({
          action:
            a.reason === 'changed'
              ? 'update'
              : a.reason === 'adopted'
                ? `adopt(${a.adoptedBy ?? ''})`
                : 'restore',
          ...base,
          fields: maskChanges(a.changes),
        });
        break;
      case 'disable':
        out.push({ action: 'disable', ...base, fields: { status: ['enabled', 'disabled'] } });
        break;
      case 'leaveGroups':
        out.push({ action: 'leaveGroups', ...base });
        break;
    }
  }
  return out;
}

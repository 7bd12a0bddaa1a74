import type { SourceSnapshot } from '../source/snapshot.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { Person } from './types.js';

/**
 * Names the people a report mentions: from DingTalk when they are in scope, else (people who
 * left) from PDS, with the groups they were in. Phones and emails are never part of it.
 */
export function personFinder(source: SourceSnapshot, target: TargetSnapshot): (userid: string) => Person {
  const groupNames = new Map<string, string>();
  for (const g of target.groups.values()) groupNames.set(g.groupId, g.name);
  return (userid) => {
    const u = source.users.get(userid);
    if (u !== undefined) {
      const departments = u.deptIds.map((d) => source.departments.get(d)?.name ?? String(d));
      return { userid, name: u.name, departments };
    }
    const m = target.managed.get(userid);
    return {
      userid,
      name: m?.nickName ?? '',
      departments: (m?.groupIds ?? []).map((g) => groupNames.get(g) ?? g),
    };
  };
}

import type { SourceSnapshot } from '../source/snapshot.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { Person, RunChange } from './types.js';

/** A department as a run saw it: DingTalk's, or for one gone from DingTalk, its PDS group's. */
export interface SeenDepartment {
  readonly id: number;
  readonly name: string;
  readonly parentId: number | undefined;
}

/** Who a stored record is about: the person's name and departments, or a group's department. */
export interface Subject {
  readonly name?: string;
  readonly deptIds?: readonly number[];
}

/**
 * The people and departments of one run, from both snapshots: what the change log and the held
 * list store beside each record (names and department ids, never a phone or an email), and the
 * departments the run's department map holds.
 */
export interface RunPeople {
  readonly person: (userid: string) => Person;
  readonly subject: (c: Pick<RunChange, 'action' | 'dingtalkUserId' | 'groupId'>) => Subject;
  readonly department: (id: number) => SeenDepartment | undefined;
}

/**
 * Names the people a report mentions: from DingTalk when they are in scope, else (people who
 * left) from PDS, with the groups they were in. Phones and emails are never part of it.
 */
export function runPeople(source: SourceSnapshot, target: TargetSnapshot): RunPeople {
  const groupDept = new Map<string, number>();
  const groupName = new Map<string, string>();
  for (const g of target.groups.values()) {
    groupDept.set(g.groupId, g.deptId);
    groupName.set(g.groupId, g.name);
  }
  const department = (id: number): SeenDepartment | undefined => {
    const d = source.departments.get(id);
    if (d !== undefined) return d;
    const g = target.groups.get(id);
    if (g === undefined) return undefined;
    const parent = g.parentGroupId === undefined ? undefined : groupDept.get(g.parentGroupId);
    return { id, name: g.name, parentId: parent };
  };
  const person = (userid: string): Person => {
    const u = source.users.get(userid);
    if (u !== undefined) {
      const departments = u.deptIds.map((d) => department(d)?.name ?? String(d));
      return { userid, name: u.name, departments, deptIds: u.deptIds };
    }
    const m = target.managed.get(userid);
    const groups = m?.groupIds ?? [];
    const deptIds = groups.flatMap((g) => {
      const d = groupDept.get(g);
      return d === undefined ? [] : [d];
    });
    return {
      userid,
      name: m?.nickName ?? '',
      departments: groups.map((g) => groupName.get(g) ?? g),
      deptIds,
    };
  };
  const subject = (c: Pick<RunChange, 'action' | 'dingtalkUserId' | 'groupId'>): Subject => {
    if (c.dingtalkUserId !== undefined) {
      const p = person(c.dingtalkUserId);
      return { ...(p.name === '' ? {} : { name: p.name }), deptIds: p.deptIds ?? [] };
    }
    if (c.action.type === 'createGroup') return { deptIds: [c.action.deptId] };
    const groupId = c.action.type === 'renameGroup' ? c.action.groupId : c.groupId;
    const dept = groupId === undefined ? undefined : groupDept.get(groupId);
    return dept === undefined ? {} : { deptIds: [dept] };
  };
  return { person, subject, department };
}

/** The person finder of a report (buildReport). */
export function personFinder(source: SourceSnapshot, target: TargetSnapshot): (userid: string) => Person {
  return runPeople(source, target).person;
}

import type { OrgChange } from '../org-mutations.js';
import type { StreamKnobs } from './knobs.js';

/** An event to emit: its type and its `data` object (ids only, as DingTalk sends them). */
export interface EventSpec {
  readonly eventType: string;
  readonly data: Record<string, unknown>;
}

type Shapes = Pick<StreamKnobs, 'leaveUserIdAs' | 'deptIdAs'>;

/**
 * The contact events an org mutation makes DingTalk send an internal app (reference §7): one
 * per person or department, `userId` an array (or, for a leaver, a string when the knob says
 * so), `deptId` numbers or strings. A move is a `user_modify_org`: internal apps get no
 * `user_dept_change`.
 */
export function eventsOfChange(change: OrgChange, shapes: Shapes, now: number): EventSpec[] {
  const timeStamp = String(now);
  const user = (eventType: string, userid: string): EventSpec => ({
    eventType,
    data: {
      timeStamp,
      userId: eventType === 'user_leave_org' && shapes.leaveUserIdAs === 'string' ? userid : [userid],
    },
  });
  const dept = (eventType: string, id: number): EventSpec => ({
    eventType,
    data: { timeStamp, deptId: [shapes.deptIdAs === 'string' ? String(id) : id] },
  });
  switch (change.op) {
    case 'hire':
      return [user('user_add_org', change.userid)];
    case 'leave':
      return [user('user_leave_org', change.userid)];
    case 'moveUser':
    case 'setUser':
      return [user('user_modify_org', change.userid)];
    case 'activate':
      return [user('user_active_org', change.userid)];
    case 'renameDept':
      return [dept('org_dept_modify', change.dept_id)];
    case 'addDept':
      return [dept('org_dept_create', change.dept.dept_id)];
    case 'removeDept':
      return [dept('org_dept_remove', change.dept.dept_id)];
    case 'churn':
      return [
        ...change.left.map((id) => user('user_leave_org', id)),
        ...change.renamed.map((id) => user('user_modify_org', id)),
        ...change.moved.map((id) => user('user_modify_org', id)),
        ...change.hired.map((id) => user('user_add_org', id)),
      ];
  }
}

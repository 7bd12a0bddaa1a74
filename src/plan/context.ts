import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { SourceFieldAccess } from '../source/snapshot.js';
import type { PlanOptions } from './types.js';

/** What every per-person rule reads: the PDS side, the fields DingTalk lets the app read, the switches. */
export interface PlanContext {
  readonly target: TargetSnapshot;
  readonly fields: SourceFieldAccess;
  readonly o: PlanOptions;
  /** Group of each department that has one already. */
  readonly groupOfDept: ReadonlyMap<number, string>;
}

export function planContext(target: TargetSnapshot, fields: SourceFieldAccess, o: PlanOptions): PlanContext {
  const groupOfDept = new Map<number, string>();
  for (const [deptId, g] of target.groups) groupOfDept.set(deptId, g.groupId);
  return { target, fields, o, groupOfDept };
}

import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { SourceFieldAccess } from '../source/snapshot.js';
import { AdoptionIndex } from './adoption-index.js';
import type { PlanOptions } from './types.js';

/** What every per-person rule reads: the PDS side, the fields DingTalk lets the app read, the switches. */
export interface PlanContext {
  readonly target: TargetSnapshot;
  readonly fields: SourceFieldAccess;
  readonly o: PlanOptions;
  /** Group of each department that has one already. */
  readonly groupOfDept: ReadonlyMap<number, string>;
  /** With `adoptExisting: email | phone`, the users adoption may take, by that value. */
  readonly adoption: AdoptionIndex | undefined;
}

export function planContext(target: TargetSnapshot, fields: SourceFieldAccess, o: PlanOptions): PlanContext {
  const groupOfDept = new Map<number, string>();
  for (const [deptId, g] of target.groups) groupOfDept.set(deptId, g.groupId);
  const by = o.adoptExisting;
  const adoption =
    by === 'email' || by === 'phone' ? new AdoptionIndex(target.others.values(), by) : undefined;
  return { target, fields, o, groupOfDept, adoption };
}

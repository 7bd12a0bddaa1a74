import type { SourceSnapshot } from '../source/snapshot.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import { NO_VERDICTS, type AbsenceVerdicts } from './absence.js';
import { planGroups } from './plan-groups.js';
import { planUsers } from './plan-users.js';
import type { Plan, PlanOptions } from './types.js';

/**
 * The pure heart of a run: what must change in PDS so that it matches DingTalk, under this
 * profile's switches. No I/O; the same inputs always give the same plan. `absences` are the
 * confirmed absences of managed people missing from the walk, read before (without one, an
 * absent person is an unconfirmed disable, shown and never written).
 */
export function plan(
  source: SourceSnapshot,
  target: TargetSnapshot,
  options: PlanOptions,
  absences: AbsenceVerdicts = NO_VERDICTS,
): Plan {
  const groups = planGroups(source, target);
  const users = planUsers(source, target, options, absences);
  let managedEnabled = 0;
  for (const m of target.managed.values()) if (m.status === 'enabled') managedEnabled++;
  return {
    groups: groups.actions,
    users: users.actions,
    failures: users.failures,
    notices: [...groups.notices, ...users.notices],
    unchanged: users.unchanged,
    unmanagedSkipped: target.others.size + target.duplicateClaims.length,
    managedEnabled,
  };
}

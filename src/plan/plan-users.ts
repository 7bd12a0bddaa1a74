import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { AbsenceVerdicts } from './absence.js';
import { planContext } from './context.js';
import { decideInScope } from './in-scope.js';
import { decideNew } from './new-user.js';
import { decideOutOfScope } from './out-of-scope.js';
import { decideReused, isReused } from './reused.js';
import type { PlanNotice, PlanOptions, PlannedFailure, UserAction, UserDecision } from './types.js';

export interface UserPlan {
  readonly actions: readonly UserAction[];
  readonly failures: readonly PlannedFailure[];
  readonly notices: readonly PlanNotice[];
  readonly unchanged: number;
}

/**
 * Users: create, update, adopt, restore, disable, retire. One decision per person (in scope:
 * new, managed, or managed for the person who had the userid before; out of scope: managed,
 * decided by its confirmed absence), collected by kind. Only users this profile manages are
 * changed; PDS users claiming a person another one already stands for are only reported.
 */
export function planUsers(
  source: SourceSnapshot,
  target: TargetSnapshot,
  o: PlanOptions,
  absences: AbsenceVerdicts,
): UserPlan {
  const ctx = planContext(target, source.fields, o);
  const actions: UserAction[] = [];
  const failures: PlannedFailure[] = [];
  const notices: PlanNotice[] = [];
  let unchanged = 0;
  const collect = (d: UserDecision): void => {
    switch (d.kind) {
      case 'unchanged':
        unchanged++;
        return;
      case 'change':
        actions.push(d.action);
        if (d.notice !== undefined) notices.push(d.notice);
        return;
      case 'notice':
        notices.push(d.notice);
        return;
      case 'fail':
        failures.push(d.failure);
        return;
    }
  };
  for (const u of source.users.values()) {
    const m = target.managed.get(u.userid);
    if (m === undefined) collect(decideNew(ctx, u));
    else if (isReused(m, u)) for (const d of decideReused(ctx, u, m)) collect(d);
    else collect(decideInScope(ctx, u, m));
  }
  for (const m of target.managed.values()) {
    if (!source.users.has(m.userid))
      collect(decideOutOfScope(m, o, absences.get(m.userid), target.links.get(m.pdsUserId)));
  }
  for (const dup of target.duplicateClaims) {
    notices.push({
      kind: 'duplicateClaim',
      userid: dup.userid,
      pdsUserId: dup.pdsUserId,
    });
  }
  return { actions, failures, notices, unchanged };
}

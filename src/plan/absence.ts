import type { AbsenceReason } from './disable-reason.js';

/**
 * What a run knows of one managed, enabled person missing from its complete walk, read before
 * plan() (src/engine/absence-step.ts) and handed to it: the planner stays pure and decides from
 * this what the person's absence leads to.
 */
export type AbsenceVerdict =
  /** Confirmed: disabled now with this reason. `since`: when a run first saw them absent (ISO). */
  | {
      readonly kind: 'disable';
      readonly reason: AbsenceReason;
      readonly since: string;
      /** For `left`: DingTalk's `leaveReason` (`oapi`, `cancel`, `leave`, `unknown`, `delete`…). */
      readonly leaveReason?: string | undefined;
    }
  /** Unexplained and within `safety.absenceGraceHours`: not disabled before `until` (ISO). */
  | { readonly kind: 'grace'; readonly since: string; readonly until: string }
  /** `v2/user/get` found them inside the walked departments: the walk missed them. Never disabled. */
  | { readonly kind: 'missed'; readonly deptId: number }
  /** A pre-flight held the run before anyone was read: shown as a disable, never written. */
  | { readonly kind: 'unconfirmed' };

/** Verdicts by DingTalk userid. */
export type AbsenceVerdicts = ReadonlyMap<string, AbsenceVerdict>;

export const NO_VERDICTS: AbsenceVerdicts = new Map();

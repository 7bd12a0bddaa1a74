import type { Profile } from '../config/schema.js';
import { nextSlot } from '../calendar/slots.js';

/** One profile's share of an organisation's month: the calls of one run, and its runs still to come. */
export interface ProfileOutlook {
  readonly profileId: string;
  /** Metered calls one run makes; undefined when neither a complete run nor a check measured it. */
  readonly perRun: number | undefined;
  readonly runsLeft: number;
}

export interface Projection {
  /** The month's metered calls at its end, if the schedule runs as set. */
  readonly projected: number;
  /** Profiles with runs to come whose calls are unknown (counted as none). */
  readonly unestimated: readonly string[];
}

/** The month's use so far plus every scheduled run left in it, at each profile's calls per run. */
export function projectUse(used: number, outlook: readonly ProfileOutlook[]): Projection {
  let projected = used;
  const unestimated: string[] = [];
  for (const o of outlook) {
    if (o.runsLeft === 0) continue;
    if (o.perRun === undefined) unestimated.push(o.profileId);
    else projected += o.perRun * o.runsLeft;
  }
  return { projected, unestimated };
}

/** A month holds at most 31 daily slots; the bound only stops a schedule croner cannot end. */
const MAX_RUNS_IN_A_MONTH = 32;

/** The scheduled runs of a profile after `now` and before `end` (none when manual or disabled). */
export function runsLeft(profile: Profile, now: Date, end: Date): number {
  let n = 0;
  let cursor = now;
  for (;;) {
    const slot = nextSlot(profile, cursor);
    if (slot === undefined || slot.getTime() >= end.getTime() || n >= MAX_RUNS_IN_A_MONTH) return n;
    n++;
    cursor = slot;
  }
}

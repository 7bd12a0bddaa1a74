import { APPLIED_COUNTS, type AppliedCounts, type PlannedCounts, type Recovery } from './types.js';

/** What earlier attempts of a run stored: their applied counts, and the first one's plan. */
export interface EarlierAttempts {
  readonly applied: ReadonlyMap<number, AppliedCounts>;
  readonly firstPlanned: { readonly attempt: number; readonly counts: AppliedCounts } | undefined;
}

export const NO_EARLIER_ATTEMPTS: EarlierAttempts = { applied: new Map(), firstPlanned: undefined };

/**
 * What earlier attempts of this run wrote. Their stored counts are a floor (a kill -9 loses
 * what came after the last store); the first attempt's plan minus this attempt's plan is what
 * they did in all, when the organisation did not change in between. The larger of the two.
 */
export function recoveryOf(
  attempt: number,
  earlier: EarlierAttempts,
  plannedNow: PlannedCounts | undefined,
): Recovery | undefined {
  if (earlier.applied.size === 0 && earlier.firstPlanned === undefined) return undefined;
  const sum = Object.fromEntries(APPLIED_COUNTS.map((k) => [k, 0])) as AppliedCounts;
  for (const counts of earlier.applied.values()) for (const k of APPLIED_COUNTS) sum[k] += counts[k];
  const first = earlier.firstPlanned;
  if (first !== undefined && plannedNow !== undefined)
    for (const k of APPLIED_COUNTS) sum[k] = Math.max(sum[k], first.counts[k] - plannedNow[k]);
  if (Object.values(sum).every((x) => x === 0)) return undefined;
  const attempts = new Set([...earlier.applied.keys(), ...(first === undefined ? [] : [first.attempt])]);
  return { attempt, fromAttempts: [...attempts].sort((a, b) => a - b), earlier: sum };
}

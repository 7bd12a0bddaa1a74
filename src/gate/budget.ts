import type { Safety } from '../config/schema.js';
import { DISABLE_PRIORITY } from '../plan/disable-reason.js';
import type { Plan, UserAction } from '../plan/types.js';
import { riskyKey, type RiskyChange } from './breaker.js';
import type { HeldReason } from './held-reason.js';

/** The disables the sync made in each rolling window before an instant (src/state/disable-ledger.ts counts them). */
export interface DisablesMade {
  readonly day: number;
  readonly week: number;
}

type Disable = Extract<UserAction, { kind: 'disable' }>;

/** What the rolling disable budget let through, and what it held. */
export interface BudgetDecision {
  readonly apply: Plan;
  readonly held: readonly RiskyChange[];
  readonly heldReason: HeldReason | undefined;
}

const rank = (a: Disable) => DISABLE_PRIORITY.indexOf(a.reason);

/** The surest first (`left`, then the other reasons), each oldest absence first. */
function byPriority(a: Disable, b: Disable): number {
  return rank(a) - rank(b) || (a.absentSince ?? '').localeCompare(b.absentSince ?? '');
}

/**
 * The rolling disable budget (issue 28.4): besides the per-run breaker, the disables the sync
 * made in the last 24 hours and 7 days (`made`, every kind of run counted) plus this run's stay
 * within `maxDisablesPerDay` and `maxDisablesPerWeek`, so a slow drip is caught too. A run over
 * it applies disables up to the room left, in priority order, and holds the rest. Disables an
 * approval covered (`approved` keys) are applied despite the budget, and count against its room.
 */
export function applyBudget(
  p: Plan,
  made: DisablesMade,
  safety: Safety,
  approved?: ReadonlySet<string>,
): BudgetDecision {
  const disables = p.users.filter((a): a is Disable => a.kind === 'disable');
  const isApproved = (a: Disable) =>
    approved?.has(riskyKey({ kind: 'disable', pdsUserId: a.pdsUserId })) ?? false;
  const forced = disables.filter(isApproved).length;
  const room = Math.max(
    0,
    Math.min(safety.maxDisablesPerDay - made.day, safety.maxDisablesPerWeek - made.week) - forced,
  );
  const open = disables.filter((a) => !isApproved(a)).sort(byPriority);
  if (open.length <= room) return { apply: p, held: [], heldReason: undefined };
  const over = new Set(open.slice(room).map((a) => a.pdsUserId));
  const held: RiskyChange[] = open
    .slice(room)
    .map((a) => ({ kind: 'disable', userid: a.userid, pdsUserId: a.pdsUserId }));
  return {
    apply: { ...p, users: p.users.filter((a) => a.kind !== 'disable' || !over.has(a.pdsUserId)) },
    held,
    heldReason: {
      code: 'disable_budget',
      params: {
        held: held.length,
        applied: disables.length - held.length,
        day: made.day,
        maxDay: safety.maxDisablesPerDay,
        week: made.week,
        maxWeek: safety.maxDisablesPerWeek,
      },
    },
  };
}

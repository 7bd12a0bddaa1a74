import type { HeldReason } from './held-reason.js';
import type { Safety, SyncSettings } from '../config/schema.js';
import { UD } from '../pds-snapshot/markers.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { Plan } from '../plan/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import { applyBreaker, riskyChanges, type RiskyChange } from './breaker.js';
import { applyBudget, type DisablesMade } from './budget.js';
import {
  checkOverlap,
  checkScopeChange,
  checkSourceDrop,
  type Baseline,
  type ManagedIdentity,
  type PreflightCode,
  type PreflightResult,
  type SourceCounts,
} from './preflight.js';
import {
  checkPopulatedDomain,
  checkTarget,
  targetMoved,
  type RecordedTarget,
  type TargetDomain,
  type TargetMoved,
} from './target.js';

/** What the gates compare a run with, read from Redis before the plan. */
export interface GateInputs {
  /** The held run an admin approved (this run's `approvedRunId`), with what it held. */
  readonly approved:
    | {
        readonly keys: ReadonlySet<string>;
        readonly by: 'preflight' | 'breaker';
        /** The hold's code; undefined in reports of versions before it was recorded. */
        readonly code?: Hold['code'] | undefined;
        readonly source: SourceCounts;
      }
    | undefined;
  /** The scope key of the last complete run. */
  readonly lastScope: string | undefined;
  /** The last complete snapshot of this scope; the managed enabled users stand in without one. */
  readonly lastComplete: Extract<Baseline, { kind: 'lastComplete' }> | undefined;
  /** The PDS domain the last complete run wrote to; undefined when none was recorded. */
  readonly lastTarget?: RecordedTarget | undefined;
  /** The PDS domain this run's token is for; undefined when the token answer named none. */
  readonly targetNow?: TargetDomain | undefined;
  /** The disables the sync made in the rolling day and week before the run (the disable budget). */
  readonly disablesMade: DisablesMade;
}

/** A run held for an admin's approval: by which gate, why, and the changes it holds. */
export interface Hold {
  readonly by: 'preflight' | 'breaker';
  readonly code: PreflightCode | 'disable_limit' | 'disable_budget';
  /** Why, as catalog data (`hold.<code>`), worded when read. */
  readonly reason: HeldReason;
  /** Every risky change held (disables, cleared phones or emails). */
  readonly changes: readonly RiskyChange[];
  /** Those an earlier approval did not cover. */
  readonly notApproved: readonly RiskyChange[];
  /** Nothing of the run is applied (a pre-flight, or holdMode all). */
  readonly wholeRun: boolean;
}

export interface GateResult {
  /** What may be applied now; undefined when the whole run is held. */
  readonly apply: Plan | undefined;
  readonly hold: Hold | undefined;
  /** The domain is the last complete run's, behind another base URL (a notice). */
  readonly targetMoved?: TargetMoved | undefined;
}

export const sourceCounts = (s: SourceSnapshot): SourceCounts => ({
  users: s.users.size,
  departments: s.departments.size,
});

/**
 * Whether the run writes: not a dry run, and not a run a pre-flight held (its snapshot is in
 * doubt, so its record shows the plan instead). A breaker hold still writes what it let through.
 */
export const runWrites = (gate: GateResult, dryRun: boolean): boolean =>
  !dryRun && gate.hold?.by !== 'preflight';

/**
 * An approval of a pre-flight hold accepts that snapshot's drop, not a bigger one, and only that
 * hold's reason (`code`, when known): approving a shrunken source never approves a new domain.
 */
export function preflightApproved(
  approved: GateInputs['approved'],
  now: SourceCounts,
  code?: PreflightCode,
): boolean {
  return (
    approved?.by === 'preflight' &&
    (code === undefined || approved.code === undefined || approved.code === code) &&
    now.users >= approved.source.users &&
    now.departments >= approved.source.departments
  );
}

/**
 * The first pre-flight that holds and that the approval does not cover, else ok. Each one is
 * looked at: approving one hold never lets another reason through unseen.
 */
function firstHold(
  approved: GateInputs['approved'],
  now: SourceCounts,
  ...checks: (() => PreflightResult)[]
): PreflightResult {
  for (const check of checks) {
    const r = check();
    if (!r.ok && !preflightApproved(approved, now, r.code)) return r;
  }
  return { ok: true };
}

function managedIdentities(t: TargetSnapshot): ManagedIdentity[] {
  return [...t.managed.values()].map((m) => ({
    userid: m.userid,
    unionid: m.userData[UD.unionid],
    enabled: m.status === 'enabled',
  }));
}

/** A source user's unionid by userid; null when the userid is not in the snapshot. */
const sourceUnionid =
  (source: SourceSnapshot) =>
  (userid: string): string | undefined | null => {
    const u = source.users.get(userid);
    return u === undefined ? null : u.unionid;
  };

/**
 * The pre-flights in order (another PDS domain, a first run into a populated domain, a shrunken
 * source, another organisation, a changed scope that would disable people), each unless an
 * approval of that hold covers it. `planned`: how many the run would disable (only the scope
 * guard reads it) and create (only the first-run guard). None reads the plan otherwise, so a run
 * asks them before it confirms its absences too (src/engine/absence-step.ts), with every absent
 * person counted as a disable: a run they hold confirms nothing.
 */
export function preflight(
  source: SourceSnapshot,
  target: TargetSnapshot,
  inputs: GateInputs,
  safety: Safety,
  planned: { readonly disables: number; readonly creates: number },
  adoptExisting: SyncSettings['adoptExisting'] = 'off',
): PreflightResult {
  const now = sourceCounts(source);
  const baseline: Baseline = inputs.lastComplete ?? { kind: 'managedEnabled', users: managedEnabled(target) };
  return firstHold(
    inputs.approved,
    now,
    () => checkTarget(inputs.lastTarget, inputs.targetNow),
    () => checkPopulatedDomain(target, planned.creates, adoptExisting, safety.maxFirstRunUnmanaged),
    () => checkSourceDrop(now, baseline, safety.maxSourceDropPercent),
    () => checkOverlap(managedIdentities(target), sourceUnionid(source), safety.minOverlapPercent),
    () =>
      safety.holdOnScopeChange
        ? checkScopeChange(inputs.lastScope, source.scopeKey, planned.disables)
        : { ok: true },
  );
}

/** Managed users that are enabled now: the base of the breaker, and of the pre-flight without a last snapshot. */
export function managedEnabled(target: TargetSnapshot): number {
  let n = 0;
  for (const m of target.managed.values()) if (m.status === 'enabled') n++;
  return n;
}

/**
 * The safety gates in order: the pre-flights hold the whole run unless an approval of that hold
 * covers it; then the mass-change breaker holds the risky changes over the limits that no
 * approval covered; then the rolling disable budget holds the disables over its room. Pure: the
 * inputs were read before.
 */
export function gateRun(
  p: Plan,
  source: SourceSnapshot,
  target: TargetSnapshot,
  inputs: GateInputs,
  safety: Safety,
  adoptExisting: SyncSettings['adoptExisting'] = 'off',
): GateResult {
  const moved = targetMoved(inputs.lastTarget, inputs.targetNow);
  const notice = moved === undefined ? {} : { targetMoved: moved };
  const planned = {
    disables: p.users.filter((a) => a.kind === 'disable').length,
    creates: p.users.filter((a) => a.kind === 'create').length,
  };
  const pre = preflight(source, target, inputs, safety, planned, adoptExisting);
  if (!pre.ok) {
    const risky = riskyChanges(p);
    return {
      ...notice,
      apply: undefined,
      hold: {
        by: 'preflight',
        code: pre.code,
        reason: pre.reason,
        changes: risky,
        notApproved: risky,
        wholeRun: true,
      },
    };
  }
  const gate = applyBreaker(p, safety, inputs.approved?.keys);
  if (gate.held.length === 0 || gate.heldReason === undefined) {
    // the per-run breaker let every disable through: the rolling budget may still hold some
    const budget = applyBudget(gate.apply, inputs.disablesMade, safety, inputs.approved?.keys);
    if (budget.heldReason === undefined) return { ...notice, apply: gate.apply, hold: undefined };
    return {
      ...notice,
      apply: budget.apply,
      hold: {
        by: 'breaker',
        code: 'disable_budget',
        reason: budget.heldReason,
        changes: budget.held,
        notApproved: budget.held,
        wholeRun: false,
      },
    };
  }
  return {
    ...notice,
    apply: gate.holdAll ? undefined : gate.apply,
    hold: {
      by: 'breaker',
      code: 'disable_limit',
      reason: gate.heldReason,
      changes: gate.held,
      notApproved: gate.notApproved,
      wholeRun: gate.holdAll,
    },
  };
}

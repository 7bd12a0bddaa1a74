import type { Safety } from '../config/schema.js';
import type { Plan, UserAction } from '../plan/types.js';
import type { HeldReason } from './held-reason.js';

export type RiskyKind = 'disable' | 'clearPhone' | 'clearEmail';

/** A change the mass-change breaker counts: it can lock people out or cut a login. */
export interface RiskyChange {
  readonly kind: RiskyKind;
  readonly userid: string;
  readonly pdsUserId: string;
}

export const riskyKey = (r: { kind: RiskyKind; pdsUserId: string }): string => `${r.kind}:${r.pdsUserId}`;

export function riskyChanges(p: Plan): RiskyChange[] {
  const out: RiskyChange[] = [];
  for (const a of p.users) {
    // a retirement that disables the account locks its holder out like any disable
    if (a.kind === 'disable' || (a.kind === 'retire' && a.disable))
      out.push({ kind: 'disable', userid: a.userid, pdsUserId: a.pdsUserId });
    if (a.kind === 'update') {
      if (a.fields.phone === '') out.push({ kind: 'clearPhone', userid: a.userid, pdsUserId: a.pdsUserId });
      if (a.fields.email === '') out.push({ kind: 'clearEmail', userid: a.userid, pdsUserId: a.pdsUserId });
    }
  }
  return out;
}

export interface GateDecision {
  /** What may be applied now. */
  readonly apply: Plan;
  /** Risky changes held for approval (empty when nothing is held). */
  readonly held: readonly RiskyChange[];
  /** Why, as catalog data (`hold.disable_limit`). */
  readonly heldReason: HeldReason | undefined;
  /** Of the held changes, those an earlier approval did not cover (the difference to show). */
  readonly notApproved: readonly RiskyChange[];
  /** holdMode all: nothing is applied. */
  readonly holdAll: boolean;
}

const EMPTY_PLAN_PART = { groups: [], users: [] } as const;

/** An update without the held clears (and without unlinking the phone it would clear). */
function withoutClears(
  a: Extract<UserAction, { kind: 'update' }>,
  held: ReadonlySet<string>,
): UserAction | undefined {
  const dropPhone = held.has(riskyKey({ kind: 'clearPhone', pdsUserId: a.pdsUserId }));
  const dropEmail = held.has(riskyKey({ kind: 'clearEmail', pdsUserId: a.pdsUserId }));
  if (!dropPhone && !dropEmail) return a;
  const fields = { ...a.fields };
  const changes = { ...a.changes };
  if (dropPhone) {
    delete fields.phone;
    delete changes.phone;
  }
  if (dropEmail) {
    delete fields.email;
    delete changes.email;
  }
  const linkRemove = dropPhone ? a.linkRemove.filter((l) => l.type !== 'mobile') : a.linkRemove;
  return { ...a, fields, changes, linkRemove };
}

/**
 * Mass-change breaker: a plan that disables, or clears the phone/email of, more than
 * maxDisableCount or maxDisablePercent of the managed enabled users is held. Changes an
 * approval already covered (`approved` keys) do not count.
 */
export function applyBreaker(p: Plan, safety: Safety, approved?: ReadonlySet<string>): GateDecision {
  const risky = riskyChanges(p);
  const unapproved = approved === undefined ? risky : risky.filter((r) => !approved.has(riskyKey(r)));
  const users = new Set(risky.map((r) => r.pdsUserId)).size;
  const percent = p.managedEnabled === 0 ? (users > 0 ? 100 : 0) : (users * 100) / p.managedEnabled;
  const tripped = users > safety.maxDisableCount || percent > safety.maxDisablePercent;
  if (!tripped || unapproved.length === 0)
    return { apply: p, held: [], heldReason: undefined, notApproved: [], holdAll: false };
  const notApproved = unapproved;
  const heldReason: HeldReason = {
    code: 'disable_limit',
    params: {
      users,
      managed: p.managedEnabled,
      percent: percent.toFixed(1),
      maxCount: safety.maxDisableCount,
      maxPercent: safety.maxDisablePercent,
    },
  };
  if (safety.holdMode === 'all') {
    return { apply: { ...p, ...EMPTY_PLAN_PART }, held: risky, heldReason, notApproved, holdAll: true };
  }
  const held = new Set(risky.map(riskyKey));
  const isHeld = (a: UserAction) =>
    (a.kind === 'disable' || a.kind === 'retire') &&
    held.has(riskyKey({ kind: 'disable', pdsUserId: a.pdsUserId }));
  // the successor of a held retirement waits with it: two accounts would claim one userid
  const retiring = new Set(p.users.filter((a) => a.kind === 'retire' && isHeld(a)).map((a) => a.userid));
  const users2: UserAction[] = [];
  for (const a of p.users) {
    if (isHeld(a) || retiring.has(a.userid)) continue;
    const kept = a.kind === 'update' ? withoutClears(a, held) : a;
    if (kept !== undefined) users2.push(kept);
  }
  return { apply: { ...p, users: users2 }, held: risky, heldReason, notApproved, holdAll: false };
}

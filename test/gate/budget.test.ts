import { describe, expect, it } from '@jest/globals';
import { riskyKey } from '../../src/gate/breaker.js';
import { applyBudget } from '../../src/gate/budget.js';
import { gateRun } from '../../src/gate/gate-run.js';
import type { AbsenceReason } from '../../src/plan/disable-reason.js';
import type { AbsenceVerdict } from '../../src/plan/absence.js';
import { plan } from '../../src/plan/plan.js';
import { buildSource, buildTarget, managed, options, safety } from '../helpers/snapshots.js';

/** Every managed user gone, each confirmed with its reason and first absence. */
function gone(people: readonly (readonly [string, AbsenceReason, string])[]) {
  const source = buildSource({ users: [] });
  const target = buildTarget({ managed: people.map(([u]) => managed(u)) });
  const verdicts = new Map<string, AbsenceVerdict>(
    people.map(([u, reason, since]) => [u, { kind: 'disable', reason, since }]),
  );
  return { source, target, plan: plan(source, target, options(), verdicts) };
}

const disabled = (p: ReturnType<typeof gone>['plan']) =>
  p.users.flatMap((a) => (a.kind === 'disable' ? [a.userid] : []));

const wide = { maxDisableCount: 1000, maxDisablePercent: 100 };

describe('the rolling disable budget', () => {
  it('a run over the budget applies disables up to it, left first, then out_of_scope, moved_out, unexplained, each oldest first', () => {
    const r = gone([
      ['unexplained-old', 'unexplained', '2026-11-01T00:00:00.000Z'],
      ['moved', 'moved_out', '2026-11-03T00:00:00.000Z'],
      ['left-new', 'left', '2026-11-05T00:00:00.000Z'],
      ['scope', 'out_of_scope', '2026-11-02T00:00:00.000Z'],
      ['left-old', 'left', '2026-11-04T00:00:00.000Z'],
    ]);
    const b = applyBudget(r.plan, { day: 7, week: 7 }, safety({ ...wide, maxDisablesPerDay: 10 }));
    expect(disabled(b.apply)).toEqual(expect.arrayContaining(['left-old', 'left-new', 'scope']));
    expect(disabled(b.apply)).toHaveLength(3);
    expect(b.held.map((h) => h.userid)).toEqual(['moved', 'unexplained-old']);
    expect(b.heldReason).toEqual({
      code: 'disable_budget',
      params: { held: 2, applied: 3, day: 7, maxDay: 10, week: 7, maxWeek: 20 },
    });
  });

  it('the weekly budget holds what the daily one would let through', () => {
    const r = gone([['a', 'left', 't']]);
    const b = applyBudget(
      r.plan,
      { day: 0, week: 50 },
      safety({ ...wide, maxDisablesPerDay: 20, maxDisablesPerWeek: 50 }),
    );
    expect(disabled(b.apply)).toEqual([]);
    expect(b.held.map((h) => h.userid)).toEqual(['a']);
  });

  it('approved disables are applied despite the budget, and count against its room', () => {
    const r = gone([
      ['a', 'left', 't1'],
      ['b', 'left', 't2'],
      ['c', 'left', 't3'],
    ]);
    const approved = new Set([riskyKey({ kind: 'disable', pdsUserId: 'dt_c' })]);
    const b = applyBudget(r.plan, { day: 9, week: 9 }, safety({ ...wide, maxDisablesPerDay: 10 }), approved);
    expect(disabled(b.apply).sort()).toEqual(['c']);
    expect(b.held.map((h) => h.userid)).toEqual(['a', 'b']);
  });

  it('the gates hold the excess with held.code disable_budget and apply the rest', () => {
    const r = gone([
      ['a', 'left', 't1'],
      ['b', 'left', 't2'],
    ]);
    const g = gateRun(
      r.plan,
      r.source,
      r.target,
      {
        approved: undefined,
        lastScope: undefined,
        lastComplete: undefined,
        disablesMade: { day: 0, week: 49 },
      },
      safety({ ...wide, maxSourceDropPercent: 100, minOverlapPercent: 0, maxDisablesPerWeek: 50 }),
    );
    expect(g.hold).toMatchObject({ by: 'breaker', code: 'disable_budget', wholeRun: false });
    expect(g.apply && disabled(g.apply)).toEqual(['a']);
  });
});

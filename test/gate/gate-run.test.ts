import { describe, expect, it } from '@jest/globals';
import { riskyChanges, riskyKey } from '../../src/gate/breaker.js';
import {
  gateRun,
  preflightApproved,
  runWrites,
  type GateInputs,
  type Hold,
} from '../../src/gate/gate-run.js';
import { plan } from '../../src/plan/plan.js';
import { buildSource, buildTarget, managed, options, safety, user } from '../helpers/snapshots.js';

const NONE: GateInputs = {
  approved: undefined,
  lastScope: undefined,
  lastComplete: undefined,
  disablesMade: { day: 0, week: 0 },
};

/** 10 managed users; `stay` of them remain in scope, the others are disabled. */
function run(stay: number) {
  const all = Array.from({ length: 10 }, (_, i) => managed(`u${i}`));
  const source = buildSource({
    users: all.slice(0, stay).map((m) => user(m.userid, { name: m.nickName ?? '' })),
  });
  const target = buildTarget({ managed: all });
  return { source, target, plan: plan(source, target, options()) };
}

const heldBy = (by: 'preflight' | 'breaker', source: { users: number; departments: number }) => ({
  keys: new Set<string>(),
  by,
  source,
});

describe('the pre-flight approval rule', () => {
  it.each([
    ['no approval approves nothing', undefined, { users: 50, departments: 5 }, false],
    [
      'an approved breaker hold does not approve a pre-flight',
      heldBy('breaker', { users: 50, departments: 5 }),
      { users: 50, departments: 5 },
      false,
    ],
    [
      'an approved pre-flight hold accepts the same snapshot',
      heldBy('preflight', { users: 50, departments: 5 }),
      { users: 50, departments: 5 },
      true,
    ],
    [
      'an approved pre-flight hold accepts a snapshot that grew',
      heldBy('preflight', { users: 50, departments: 5 }),
      { users: 60, departments: 6 },
      true,
    ],
    [
      'an approval accepts that drop, not fewer users',
      heldBy('preflight', { users: 50, departments: 5 }),
      { users: 49, departments: 5 },
      false,
    ],
    [
      'an approval accepts that drop, not fewer departments',
      heldBy('preflight', { users: 50, departments: 5 }),
      { users: 50, departments: 4 },
      false,
    ],
  ] as const)('%s', (_rule, approved, now, ok) => {
    expect(preflightApproved(approved, now)).toBe(ok);
  });
});

describe('gateRun', () => {
  it('a run within every limit applies its whole plan and holds nothing', () => {
    const r = run(10);
    expect(gateRun(r.plan, r.source, r.target, NONE, safety())).toEqual({ apply: r.plan, hold: undefined });
  });

  it('a source drop over the limit holds the whole run, every risky change named', () => {
    const r = run(5);
    const g = gateRun(
      r.plan,
      r.source,
      r.target,
      NONE,
      safety({ maxDisablePercent: 100, minOverlapPercent: 0 }),
    );
    expect(g.apply).toBeUndefined();
    expect(g.hold).toMatchObject({ by: 'preflight', code: 'source_drop', wholeRun: true });
    expect(g.hold?.changes).toEqual(riskyChanges(r.plan));
    expect(g.hold?.notApproved).toEqual(riskyChanges(r.plan));
  });

  it('the pre-flights run in order: a source drop is named before a foreign organisation', () => {
    const r = run(2);
    expect(gateRun(r.plan, r.source, r.target, NONE, safety()).hold?.code).toBe('source_drop');
    const lastComplete = { kind: 'lastComplete', counts: { users: 2, departments: 1 }, at: 't' } as const;
    expect(gateRun(r.plan, r.source, r.target, { ...NONE, lastComplete }, safety()).hold?.code).toBe(
      'foreign_org',
    );
  });

  it('a changed scope that would disable people holds the run, unless holdOnScopeChange is off', () => {
    const r = run(9);
    const inputs = { ...NONE, lastScope: 'another-scope' };
    expect(gateRun(r.plan, r.source, r.target, inputs, safety({ maxDisablePercent: 100 })).hold?.code).toBe(
      'scope_changed',
    );
    expect(
      gateRun(
        r.plan,
        r.source,
        r.target,
        inputs,
        safety({ maxDisablePercent: 100, holdOnScopeChange: false }),
      ).hold,
    ).toBeUndefined();
  });

  it('an approved pre-flight hold lets the run through to the breaker', () => {
    const r = run(5);
    const approved = heldBy('preflight', { users: 5, departments: 1 });
    const g = gateRun(r.plan, r.source, r.target, { ...NONE, approved }, safety({ minOverlapPercent: 0 }));
    expect(g.hold).toMatchObject({ by: 'breaker', code: 'disable_limit', wholeRun: false });
  });

  it('the breaker holds the disables over the limit and applies the rest', () => {
    const r = run(8);
    const lastComplete = { kind: 'lastComplete', counts: { users: 8, departments: 1 }, at: 't' } as const;
    const g = gateRun(r.plan, r.source, r.target, { ...NONE, lastComplete }, safety());
    expect(g.hold).toMatchObject({ by: 'breaker', wholeRun: false });
    expect(g.hold?.changes).toHaveLength(2);
    expect(g.apply?.users.filter((a) => a.kind === 'disable')).toEqual([]);
  });

  it('holdMode all: the breaker holds the whole run, nothing is applied', () => {
    const r = run(8);
    const lastComplete = { kind: 'lastComplete', counts: { users: 8, departments: 1 }, at: 't' } as const;
    const g = gateRun(r.plan, r.source, r.target, { ...NONE, lastComplete }, safety({ holdMode: 'all' }));
    expect(g.apply).toBeUndefined();
    expect(g.hold).toMatchObject({ by: 'breaker', wholeRun: true });
  });

  it('an approval covering the held changes lets them through', () => {
    const r = run(8);
    const lastComplete = { kind: 'lastComplete', counts: { users: 8, departments: 1 }, at: 't' } as const;
    const approved = {
      ...heldBy('breaker', { users: 8, departments: 1 }),
      keys: new Set(riskyChanges(r.plan).map(riskyKey)),
    };
    const g = gateRun(r.plan, r.source, r.target, { ...NONE, approved, lastComplete }, safety());
    expect(g).toEqual({ apply: r.plan, hold: undefined });
  });
});

describe('runWrites', () => {
  const hold = (by: 'preflight' | 'breaker', wholeRun: boolean): Hold => ({
    by,
    code: by === 'preflight' ? 'source_drop' : 'disable_limit',
    reason: { code: 'source_drop', params: {} },
    changes: [],
    notApproved: [],
    wholeRun,
  });
  it.each([
    ['a real run nothing held writes', undefined, false, true],
    ['a dry run never writes', undefined, true, false],
    ['a run a pre-flight held writes nothing', hold('preflight', true), false, false],
    ['a run the breaker held writes what it let through', hold('breaker', false), false, true],
    [
      'a run the breaker held whole still stores its plan (and applies nothing)',
      hold('breaker', true),
      false,
      true,
    ],
  ] as const)('%s', (_rule, h, dryRun, writes) => {
    expect(runWrites({ apply: undefined, hold: h }, dryRun)).toBe(writes);
  });
});

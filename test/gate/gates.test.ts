import { describe, expect, it } from '@jest/globals';
import { applyBreaker, riskyKey } from '../../src/gate/breaker.js';
import { checkOverlap, checkScopeChange, checkSourceDrop } from '../../src/gate/preflight.js';
import { plan } from '../../src/plan/plan.js';
import { buildSource, buildTarget, managed, options, safety, user } from '../helpers/snapshots.js';

/** 10 managed users; `stay` remain in scope, the others are disabled. */
function scenario(stay: number) {
  const all = Array.from({ length: 10 }, (_, i) => managed(`u${i}`));
  const source = buildSource({
    users: all.slice(0, stay).map((m) => user(m.userid, { name: m.nickName ?? '' })),
  });
  return plan(source, buildTarget({ managed: all }), options());
}

describe('completeness pre-flight', () => {
  it.each([
    ['a drop within the limit passes', { users: 85, departments: 10 }, true],
    ['a user drop over maxSourceDropPercent holds the whole run', { users: 79, departments: 10 }, false],
    [
      'a department drop over maxSourceDropPercent holds the whole run',
      { users: 100, departments: 7 },
      false,
    ],
    ['growth passes', { users: 500, departments: 50 }, true],
  ])('%s', (_name, now, ok) => {
    const r = checkSourceDrop(
      now,
      { kind: 'lastComplete', counts: { users: 100, departments: 10 }, at: '2026-11-24' },
      20,
    );
    expect(r.ok).toBe(ok);
  });

  it('with no complete snapshot yet, compares with the managed enabled users in PDS', () => {
    expect(
      checkSourceDrop({ users: 50, departments: 1 }, { kind: 'managedEnabled', users: 100 }, 20),
    ).toEqual({
      ok: false,
      code: 'source_drop',
      reason: {
        code: 'source_drop',
        params: { what: 'users', percent: '50.0', before: 100, now: 50, max: 20, against: 'managedEnabled' },
      },
    });
    expect(checkSourceDrop({ users: 10, departments: 1 }, { kind: 'managedEnabled', users: 0 }, 20).ok).toBe(
      true,
    );
  });
});

describe('organisation guard (minOverlapPercent)', () => {
  const people = (n: number, enabled = true) =>
    Array.from({ length: n }, (_, i) => ({ userid: `u${i}`, unionid: `union${i}`, enabled }));
  const source = (entries: [string, string | undefined][]) => {
    const m = new Map(entries);
    return (userid: string) => (m.has(userid) ? m.get(userid) : null);
  };
  it.each([
    [
      'the same organisation with normal turnover passes',
      source(people(8).map((u) => [u.userid, u.unionid])),
      true,
    ],
    ['exactly the minimum share present passes', source(people(5).map((u) => [u.userid, u.unionid])), true],
    [
      'under half of the managed people present holds the whole run',
      source(people(4).map((u) => [u.userid, u.unionid])),
      false,
    ],
    [
      'an organisation whose userids collide but whose unionids differ holds the whole run',
      source(people(10).map((u) => [u.userid, `other-${u.unionid}`])),
      false,
    ],
    [
      'a source that does not tell the unionid counts a userid match',
      source(people(10).map((u) => [u.userid, undefined])),
      true,
    ],
  ])('%s', (_name, inSource, ok) => {
    const r = checkOverlap(people(10), inSource, 50);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.code).toBe('foreign_org');
  });

  it('no managed enabled users (a first run, or only disabled ones) is no baseline: it passes', () => {
    expect(checkOverlap([], source([]), 50).ok).toBe(true);
    expect(checkOverlap(people(5, false), source([]), 50).ok).toBe(true);
  });
});

describe('scope guard (holdOnScopeChange)', () => {
  it.each([
    ['no complete run yet: nothing to compare with', undefined, 'a', 5, true],
    ['the same scope', 'a', 'a', 5, true],
    ['a changed scope that disables nobody (a widened scope)', 'a', 'b', 0, true],
    ['a changed scope that would disable people holds the run', 'a', 'b', 3, false],
  ])('%s', (_name, last, now, disables, ok) => {
    const r = checkScopeChange(last, now, disables);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.code).toBe('scope_changed');
  });
});

describe('mass-change breaker', () => {
  it('a plan within the limits is applied whole', () => {
    const p = scenario(9);
    const d = applyBreaker(p, safety({ maxDisablePercent: 10 }));
    expect(d.held).toEqual([]);
    expect(d.apply).toBe(p);
  });

  it('holdMode disables holds only the disables and clears and applies the rest', () => {
    const p = scenario(4); // 6 disables = 60 %
    const d = applyBreaker(p, safety());
    expect(d.held.map((r) => r.kind)).toEqual(expect.arrayContaining(['disable']));
    expect(d.held).toHaveLength(6);
    expect(d.apply.users.filter((a) => a.kind === 'disable')).toEqual([]);
    expect(d.heldReason).toEqual({
      code: 'disable_limit',
      params: { users: 6, managed: 10, percent: '60.0', maxCount: safety().maxDisableCount, maxPercent: 10 },
    });
  });

  it('a cleared phone counts as risky and is held without its unlink, while the rest of the update applies', () => {
    const all = [managed('a', { phone: '13800000000', nickName: 'Old' }), managed('b')];
    const p = plan(
      buildSource({ users: [user('a', { name: 'New' }), user('b', { name: 'Name b' })] }),
      buildTarget({ managed: all }),
      options(),
    );
    const d = applyBreaker(p, safety({ maxDisableCount: 0 }));
    expect(d.held).toEqual([{ kind: 'clearPhone', userid: 'a', pdsUserId: 'dt_a' }]);
    expect(d.apply.users).toEqual([
      expect.objectContaining({
        kind: 'update',
        fields: { nick_name: 'New' },
        linkRemove: [],
        changes: { nick_name: ['Old', 'New'] },
      }),
    ]);
  });

  it('holdMode all holds everything', () => {
    const d = applyBreaker(scenario(4), safety({ holdMode: 'all' }));
    expect(d.holdAll).toBe(true);
    expect(d.apply.users).toEqual([]);
    expect(d.apply.groups).toEqual([]);
  });

  it('maxDisableCount trips on its own', () => {
    expect(
      applyBreaker(scenario(8), safety({ maxDisableCount: 1, maxDisablePercent: 100 })).held,
    ).toHaveLength(2);
  });

  it('an approval covering every risky change lets the plan through; a new one holds again showing the difference', () => {
    const p = scenario(4);
    const approved = new Set(applyBreaker(p, safety()).held.map(riskyKey));
    expect(applyBreaker(p, safety(), approved).held).toEqual([]);
    const bigger = scenario(3);
    const again = applyBreaker(bigger, safety(), approved);
    expect(again.held).toHaveLength(7);
    expect(again.notApproved).toEqual([{ kind: 'disable', userid: 'u3', pdsUserId: 'dt_u3' }]);
  });
});

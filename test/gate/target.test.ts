import { describe, expect, it } from '@jest/globals';
import { gateRun, preflightApproved, type GateInputs } from '../../src/gate/gate-run.js';
import { checkPopulatedDomain, checkTarget, targetMoved } from '../../src/gate/target.js';
import { plan } from '../../src/plan/plan.js';
import { buildSource, buildTarget, managed, options, other, safety, user } from '../helpers/snapshots.js';

const NONE: GateInputs = {
  approved: undefined,
  lastScope: undefined,
  lastComplete: undefined,
  disablesMade: { day: 0, week: 0 },
};
const recorded = { domainId: 'bj1', baseUrl: 'https://bj1.api.aliyunpds.com', at: '2026-01-01T00:00:00Z' };

/** `n` enabled people nobody manages, beside `extra` (another profile's, disabled ones, admins). */
const populated = (n: number, extra: ReturnType<typeof other>[] = []) =>
  buildTarget({ others: [...Array.from({ length: n }, (_, i) => other(`hand${i}`)), ...extra] });

describe('the domain guard (target_changed)', () => {
  it.each([
    ['nothing recorded (a first run) is no guard', undefined, { domainId: 'hz9', baseUrl: 'x' }, true],
    ['a token naming no domain is no guard', recorded, undefined, true],
    ['the same domain passes', recorded, { domainId: 'bj1', baseUrl: recorded.baseUrl }, true],
    ['the domain id compares case-insensitively', recorded, { domainId: 'BJ1', baseUrl: 'y' }, true],
    ['another domain holds', recorded, { domainId: 'hz9', baseUrl: recorded.baseUrl }, false],
  ] as const)('%s', (_rule, then, now, ok) => {
    expect(checkTarget(then, now).ok).toBe(ok);
  });

  it('the hold names both domains and when the recorded one was written', () => {
    expect(checkTarget(recorded, { domainId: 'hz9', baseUrl: recorded.baseUrl })).toEqual({
      ok: false,
      code: 'target_changed',
      reason: { code: 'target_changed', params: { now: 'hz9', recorded: 'bj1', at: recorded.at } },
    });
  });

  it('a changed base URL with the same domain_id is only a notice', () => {
    const vpc = { domainId: 'bj1', baseUrl: 'https://bj1.vpc.api.aliyunpds.com' };
    expect(targetMoved(recorded, vpc)).toEqual({ from: recorded.baseUrl, to: vpc.baseUrl, domainId: 'bj1' });
    expect(targetMoved(recorded, { domainId: 'bj1', baseUrl: 'https://BJ1.api.aliyunpds.com/' })).toBe(
      undefined,
    );
    expect(targetMoved(recorded, { domainId: 'hz9', baseUrl: vpc.baseUrl })).toBe(undefined);
    const source = buildSource({ users: [user('a')] });
    const target = buildTarget({ managed: [managed('a')] });
    const g = gateRun(
      plan(source, target, options()),
      source,
      target,
      {
        ...NONE,
        lastTarget: recorded,
        targetNow: vpc,
      },
      safety(),
    );
    expect(g.hold).toBeUndefined();
    expect(g.targetMoved).toEqual({ from: recorded.baseUrl, to: vpc.baseUrl, domainId: 'bj1' });
  });

  it('gateRun holds a swapped domain whole before every other pre-flight, and its approval only that', () => {
    const source = buildSource({ users: [user('a')] });
    const target = buildTarget({ managed: [managed('a'), managed('b')] });
    const p = plan(source, target, options());
    const inputs = { ...NONE, lastTarget: recorded, targetNow: { domainId: 'hz9', baseUrl: 'z' } };
    const g = gateRun(p, source, target, inputs, safety());
    expect(g.apply).toBeUndefined();
    expect(g.hold).toMatchObject({ by: 'preflight', code: 'target_changed', wholeRun: true });
    const counts = { users: 1, departments: 1 };
    const approvedAs = (code: 'target_changed' | 'source_drop') => ({
      keys: new Set<string>(),
      by: 'preflight' as const,
      code,
      source: counts,
    });
    expect(preflightApproved(approvedAs('target_changed'), counts, 'target_changed')).toBe(true);
    expect(preflightApproved(approvedAs('source_drop'), counts, 'target_changed')).toBe(false);
  });
});

describe('an approval of one pre-flight hold covers only that hold', () => {
  it('a swapped domain approved still holds for a shrunken source', () => {
    const all = Array.from({ length: 10 }, (_, i) => managed(`u${i}`));
    const source = buildSource({ users: all.slice(0, 5).map((m) => user(m.userid)) });
    const target = buildTarget({ managed: all });
    const p = plan(source, target, options());
    const approved = {
      keys: new Set<string>(),
      by: 'preflight' as const,
      code: 'target_changed' as const,
      source: { users: 5, departments: 1 },
    };
    const inputs = { ...NONE, approved, lastTarget: recorded, targetNow: { domainId: 'hz9', baseUrl: 'z' } };
    const g = gateRun(p, source, target, inputs, safety({ minOverlapPercent: 0 }));
    expect(g.hold).toMatchObject({ by: 'preflight', code: 'source_drop' });
    // an approval from a report of an older version (no code) covers every pre-flight, as before
    const legacy = { ...inputs, approved: { ...approved, code: undefined } };
    expect(gateRun(p, source, target, legacy, safety({ minOverlapPercent: 0 })).hold).toMatchObject({
      by: 'breaker',
    });
  });
});

describe('the first-run guard (populated_domain)', () => {
  it.each([
    ['21 unmanaged enabled users hold a first run', 21, 'off', 5, false],
    ['20 (the limit) do not', 20, 'off', 5, true],
    ['with adoptExisting set, the sync takes them over: no hold', 100, 'email', 5, true],
    ['a run that creates no one is not held', 100, 'off', 0, true],
  ] as const)('%s', (_rule, n, adopt, creates, ok) => {
    expect(checkPopulatedDomain(populated(n), creates, adopt, 20).ok).toBe(ok);
  });

  it('a profile that already manages someone is past its first run', () => {
    const t = buildTarget({ managed: [managed('a')], others: [...populated(100).others.values()] });
    expect(checkPopulatedDomain(t, 5, 'off', 20).ok).toBe(true);
  });

  it('only enabled users nobody manages count: not another profile’s, nor disabled ones', () => {
    const extra = [
      ...Array.from({ length: 30 }, (_, i) => other(`p${i}`, { managedBy: 'other' })),
      ...Array.from({ length: 30 }, (_, i) => other(`d${i}`, { status: 'disabled' })),
    ];
    expect(checkPopulatedDomain(populated(20, extra), 5, 'off', 20).ok).toBe(true);
  });

  it('gateRun holds it whole with the count and the limit; its words say to set adoptExisting', () => {
    const source = buildSource({ users: [user('a'), user('b')] });
    const target = populated(100);
    const g = gateRun(plan(source, target, options()), source, target, NONE, safety(), 'off');
    expect(g.apply).toBeUndefined();
    expect(g.hold).toMatchObject({
      by: 'preflight',
      code: 'populated_domain',
      wholeRun: true,
      reason: { code: 'populated_domain', params: { unmanaged: 100, max: 20 } },
    });
    expect(
      gateRun(plan(source, target, options()), source, target, NONE, safety({ maxFirstRunUnmanaged: 100 }))
        .hold,
    ).toBeUndefined();
  });
});

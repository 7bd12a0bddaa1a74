import { describe, expect, it } from '@jest/globals';
import type { OtherUser } from '../../src/pds-snapshot/snapshot.js';
import { plan } from '../../src/plan/plan.js';
import { buildSource, buildTarget, options, other, user } from '../helpers/snapshots.js';

/**
 * The unmanaged users as a map that counts every user it hands out, whichever way the planner
 * reads it: the candidate comparisons, whatever the implementation, without timing anything.
 */
class CountingMap extends Map<string, OtherUser> {
  handedOut = 0;
  override get(key: string): OtherUser | undefined {
    const x = super.get(key);
    if (x !== undefined) this.handedOut += 1;
    return x;
  }
  override *values(): MapIterator<OtherUser> {
    for (const x of super.values()) {
      this.handedOut += 1;
      yield x;
    }
  }
  override *entries(): MapIterator<[string, OtherUser]> {
    for (const e of super.entries()) {
      this.handedOut += 1;
      yield e;
    }
  }
  override [Symbol.iterator](): MapIterator<[string, OtherUser]> {
    return this.entries();
  }
  override forEach(fn: (v: OtherUser, k: string, m: Map<string, OtherUser>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** `n` people new to the profile and `n` unmanaged PDS users, half of whom hold a new person's value. */
function comparisons(n: number, by: 'email' | 'phone'): { handedOut: number; adopted: number } {
  const valueOf = (i: number) =>
    by === 'email' ? `p${i}@acme.example` : `1380000${String(i).padStart(4, '0')}`;
  const users = Array.from({ length: n }, (_, i) =>
    user(`n${i}`, by === 'email' ? { email: valueOf(i) } : { mobile: valueOf(i), stateCode: '86' }),
  );
  const unmanaged = Array.from({ length: n }, (_, i) =>
    other(
      `pds${i}`,
      by === 'email'
        ? { email: valueOf(i % 2 === 0 ? i : i + n) }
        : { phone: valueOf(i % 2 === 0 ? i : i + n) },
    ),
  );
  const target = buildTarget({});
  const others = new CountingMap(unmanaged.map((x) => [x.pdsUserId, x]));
  const p = plan(buildSource({ users }), { ...target, others }, options({ adoptExisting: by }));
  const adopted = p.users.filter((a) => a.kind === 'update' && a.reason === 'adopted').length;
  return { handedOut: others.handedOut, adopted };
}

describe('adoption at the size of a populated domain', () => {
  it.each(['email', 'phone'] as const)(
    'adoption by %s compares candidates linearly: 10,000 new × 10,000 unmanaged cost at most 12× what 1,000 × 1,000 do',
    (by) => {
      const small = comparisons(1000, by);
      const large = comparisons(10_000, by);
      // half of each side pairs up: the index still finds every match
      expect(small.adopted).toBe(500);
      expect(large.adopted).toBe(5000);
      // linear growth is 10×; the scan per new person it replaced grew 100×
      expect(large.handedOut).toBeLessThanOrEqual(12 * small.handedOut);
    },
  );
});

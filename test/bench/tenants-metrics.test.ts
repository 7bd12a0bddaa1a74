import { describe, expect, it } from '@jest/globals';
import { busiestBucket, quantile, scopedMinimalCalls } from '../../bench/tenants/metrics.js';
import { hourStartOf } from '../../bench/tenants/phase.js';
import { keyKind } from '../../bench/tenants/redis-memory.js';
import type { Org } from '../../bench/independent-check.js';

/* The tenants bench's arithmetic (bench/tenants): what its figures in docs/performance.md mean. */

describe('the tenants bench figures', () => {
  it("a subsidiary's minimal DingTalk reads: scopes, its root, a listsub per department, ⌈members/100⌉ user/list each", () => {
    const org: Org = {
      departments: [
        { dept_id: 1, name: 'group' },
        { dept_id: 10, name: 'sub A', parent_id: 1 },
        { dept_id: 11, name: 'A.1', parent_id: 10 },
        { dept_id: 20, name: 'sub B', parent_id: 1 },
      ],
      users: [
        ...Array.from({ length: 150 }, (_, i) => ({ userid: `a${i}`, name: 'a', dept_id_list: [11] })),
        { userid: 'b', name: 'b', dept_id_list: [20] },
      ],
    };
    // auth/scopes + department/get, listsub of 10 and 11, user/list: 10 (empty) 1, 11 (150) 2
    expect(scopedMinimalCalls(org, 10)).toBe(2 + 2 + 3);
    expect(scopedMinimalCalls(org, 20)).toBe(2 + 1 + 1);
  });

  it('the busiest minute counts starts in whole minutes from the hour, not sliding ones', () => {
    const m = 60_000;
    expect(busiestBucket([0, 59_999, m, m + 1, m + 2], 0, m)).toBe(3);
    expect(busiestBucket([], 0, m)).toBe(0);
  });

  it('quantiles pick a value of the sample', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(quantile([5, 1, 3, 2, 4], 0.95)).toBe(5);
  });

  it('the replayed hour is the next start of the hour, a day later per phase', () => {
    const now = Date.parse('2026-12-08T00:30:00Z');
    expect(hourStartOf(0, 0, now).toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(hourStartOf(12, 0, now).toISOString()).toBe('2026-12-08T12:00:00.000Z');
    expect(hourStartOf(12, 2, now).toISOString()).toBe('2026-12-10T12:00:00.000Z');
  });

  it('Redis key kinds hide ids: every segment holding a digit', () => {
    expect(keyKind('{b}:run:mxdxd3nx-jcfl17:changes', '{b}')).toBe('run:*:changes');
    expect(keyKind('{b}:state:bench-0001:complete:x', '{b}')).toBe('state:*:complete:x');
    expect(keyKind('{b}:sync:events', '{b}')).toBe('sync:events');
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { defaultSlotOffset, nextSlot, slotKey } from '../../src/calendar/slots.js';
import { schedulerConfig, type RawSchedule } from '../helpers/schedule.js';

/*
 * The spread of a thousand tenants' scheduled starts, from the slot maths alone: no clock, no
 * Redis. Every profile is scheduled daily at 02:00 (UTC, so the hour starts at a round instant).
 */

const HOUR_START = new Date('2026-06-01T02:00:00Z');
const MINUTE = 60_000;

/** 1,000 profiles of the given ids, all at one hour, in one validated config. */
function tenants(ids: readonly string[], spreadMinutes: number, schedule: RawSchedule = {}) {
  const config = schedulerConfig(
    Object.fromEntries(ids.map((id) => [id, { frequency: 'daily', hour: 2, timezone: 'UTC', ...schedule }])),
  );
  return { ...config, scheduler: { ...config.scheduler, spreadMinutes } };
}

/** Each profile's start in the hour, in ms after 02:00, as the scheduler computes its slot. */
function startsOf(profiles: readonly Profile[], spreadMinutes: number): number[] {
  return profiles.map((p) => {
    const slot = nextSlot(p, new Date(HOUR_START.getTime() - 1), spreadMinutes);
    if (slot === undefined) throw new Error(`no slot for ${p.id}`);
    return slot.getTime() - HOUR_START.getTime();
  });
}

/** The most starts in one whole minute (or second) of the hour. */
function busiest(starts: readonly number[], bucketMs: number): number {
  const counts = new Map<number, number>();
  for (const s of starts)
    counts.set(Math.floor(s / bucketMs), (counts.get(Math.floor(s / bucketMs)) ?? 0) + 1);
  return Math.max(...counts.values());
}

const SHAPES: Record<string, readonly string[]> = {
  'profile-0 … profile-999': Array.from({ length: 1000 }, (_, i) => `profile-${i}`),
  'corp-001 … corp-1000': Array.from({ length: 1000 }, (_, i) => `corp-${String(i + 1).padStart(3, '0')}`),
  'a city and a number (bj-1 … gz-250)': ['bj', 'sh', 'sz', 'gz'].flatMap((city) =>
    Array.from({ length: 250 }, (_, i) => `${city}-${i + 1}`),
  ),
};

describe('the spread of scheduled starts over the hour', () => {
  it.each(Object.keys(SHAPES).flatMap((shape) => [10, 5, 30, 60].map((spread) => [shape, spread] as const)))(
    'the busiest minute has at most twice the average: 1,000 ids %s over %i minutes',
    (shape, spread) => {
      const config = tenants(SHAPES[shape] ?? [], spread);
      const starts = startsOf(config.profiles, spread);
      expect(starts).toHaveLength(1000);
      // every start falls within the hour's first spreadMinutes
      expect(Math.min(...starts)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...starts)).toBeLessThan(spread * MINUTE);
      expect(busiest(starts, MINUTE)).toBeLessThanOrEqual((2 * 1000) / spread);
    },
  );

  it('starts are spread over the seconds of a minute too, not bunched on its first second', () => {
    const starts = startsOf(tenants(SHAPES['corp-001 … corp-1000'] ?? [], 10).profiles, 10);
    // 1,000 starts in 600 seconds occupy about 490 distinct seconds; on whole minutes, 10
    expect(new Set(starts.map((s) => Math.floor(s / 1000))).size).toBeGreaterThan(400);
    expect(busiest(starts, 1000)).toBeLessThanOrEqual(10);
  });

  it("a profile's own delayMinutes wins over the spread, on the minute", () => {
    for (const delayMinutes of [0, 7, 42, 59]) {
      const config = tenants(['corp-001', 'corp-002', 'corp-003'], 10, { delayMinutes });
      expect(startsOf(config.profiles, 10)).toEqual([1, 2, 3].map(() => delayMinutes * MINUTE));
    }
  });

  it('a slot is a pure function of the profile id and the spread: every process and restart agrees', () => {
    const ids = SHAPES['corp-001 … corp-1000'] ?? [];
    const once = ids.map((id) => defaultSlotOffset(id, 10));
    const again = ids.map((id) => defaultSlotOffset(id, 10));
    expect(again).toEqual(once);
    // and so the slot key BullMQ deduplicates on is the same for two schedulers
    const a = tenants(ids, 10).profiles;
    const b = tenants(ids, 10).profiles;
    const keys = (ps: readonly Profile[]) =>
      ps.map((p) => slotKey(p, nextSlot(p, HOUR_START, 10) ?? HOUR_START));
    expect(keys(b)).toEqual(keys(a));
  });
});

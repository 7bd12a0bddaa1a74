import { describe, expect, it } from '@jest/globals';
import {
  defaultDelayMinutes,
  dueSlot,
  nextSlot,
  periodMs,
  previousSlot,
  slotKey,
  slotPattern,
  slotRule,
} from '../../src/calendar/slots.js';
import { daysInMonth, wallTime } from '../../src/calendar/zoned.js';
import { scheduledProfile } from '../helpers/schedule.js';

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('slot computation', () => {
  it.each([
    // name, schedule, after, next slot (UTC), slot key
    [
      'daily in Asia/Shanghai',
      { frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'Asia/Shanghai' },
      '2026-11-29T20:00:00Z',
      '2026-11-30T19:07:00Z',
      '2026-12-01T03:07[Asia/Shanghai]',
    ],
    [
      'daily in UTC, strictly after a slot',
      { frequency: 'daily', hour: 0, delayMinutes: 0, timezone: 'UTC' },
      '2026-06-15T00:00:00Z',
      '2026-06-16T00:00:00Z',
      '2026-06-16T00:00[UTC]',
    ],
    [
      'weekly on Monday in America/New_York',
      { frequency: 'weekly', weekday: 1, hour: 9, delayMinutes: 5, timezone: 'America/New_York' },
      '2026-07-01T00:00:00Z',
      '2026-07-06T13:05:00Z',
      '2026-07-06T09:05[America/New_York]',
    ],
    [
      'weekly on Sunday in Europe/Berlin, spring-forward gap → 03:00',
      { frequency: 'weekly', weekday: 0, hour: 2, delayMinutes: 5, timezone: 'Europe/Berlin' },
      '2026-03-23T00:00:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T03:00[Europe/Berlin]',
    ],
    [
      'monthly "last" in February',
      { frequency: 'monthly', dayOfMonth: 'last', hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-02-01T00:00:00Z',
      '2026-02-28T04:03:00Z',
      '2026-02-28T04:03[UTC]',
    ],
    [
      'monthly "last" in a leap February',
      { frequency: 'monthly', dayOfMonth: 'last', hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2028-02-01T00:00:00Z',
      '2028-02-29T04:03:00Z',
      '2028-02-29T04:03[UTC]',
    ],
    [
      'monthly "last" in Asia/Shanghai (UTC is still the 30th)',
      { frequency: 'monthly', dayOfMonth: 'last', hour: 23, delayMinutes: 1, timezone: 'Asia/Shanghai' },
      '2026-04-01T00:00:00Z',
      '2026-04-30T15:01:00Z',
      '2026-04-30T23:01[Asia/Shanghai]',
    ],
    [
      'monthly 31 in February runs on the 28th',
      { frequency: 'monthly', dayOfMonth: 31, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-02-01T00:00:00Z',
      '2026-02-28T04:03:00Z',
      '2026-02-28T04:03[UTC]',
    ],
    [
      'monthly 31 in March runs on the 31st',
      { frequency: 'monthly', dayOfMonth: 31, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-03-01T00:00:00Z',
      '2026-03-31T04:03:00Z',
      '2026-03-31T04:03[UTC]',
    ],
    [
      'monthly 31 in April runs on the 30th',
      { frequency: 'monthly', dayOfMonth: 31, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-04-01T00:00:00Z',
      '2026-04-30T04:03:00Z',
      '2026-04-30T04:03[UTC]',
    ],
    [
      'monthly 30 in a leap February runs on the 29th',
      { frequency: 'monthly', dayOfMonth: 30, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2028-02-01T00:00:00Z',
      '2028-02-29T04:03:00Z',
      '2028-02-29T04:03[UTC]',
    ],
    [
      'monthly 30 in February runs on the 28th',
      { frequency: 'monthly', dayOfMonth: 30, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-02-01T00:00:00Z',
      '2026-02-28T04:03:00Z',
      '2026-02-28T04:03[UTC]',
    ],
    [
      'monthly 30 in March runs on the 30th, not the 31st',
      { frequency: 'monthly', dayOfMonth: 30, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-03-01T00:00:00Z',
      '2026-03-30T04:03:00Z',
      '2026-03-30T04:03[UTC]',
    ],
    [
      'monthly 29 in February runs on the 28th',
      { frequency: 'monthly', dayOfMonth: 29, hour: 4, delayMinutes: 3, timezone: 'UTC' },
      '2026-02-01T00:00:00Z',
      '2026-02-28T04:03:00Z',
      '2026-02-28T04:03[UTC]',
    ],
    [
      'monthly 15 in Asia/Shanghai, strictly after a slot',
      { frequency: 'monthly', dayOfMonth: 15, hour: 0, delayMinutes: 0, timezone: 'Asia/Shanghai' },
      '2026-01-14T16:00:00Z',
      '2026-02-14T16:00:00Z',
      '2026-02-15T00:00[Asia/Shanghai]',
    ],
    [
      'monthly on a spring-forward day in America/New_York → 03:00',
      { frequency: 'monthly', dayOfMonth: 8, hour: 2, delayMinutes: 0, timezone: 'America/New_York' },
      '2026-03-01T00:00:00Z',
      '2026-03-08T07:00:00Z',
      '2026-03-08T03:00[America/New_York]',
    ],
    [
      'daily in America/New_York, nonexistent 02:07 → next valid instant 03:00',
      { frequency: 'daily', hour: 2, delayMinutes: 7, timezone: 'America/New_York' },
      '2026-03-07T12:00:00Z',
      '2026-03-08T07:00:00Z',
      '2026-03-08T03:00[America/New_York]',
    ],
    [
      'daily in America/New_York, repeated 01:07 → its first occurrence',
      { frequency: 'daily', hour: 1, delayMinutes: 7, timezone: 'America/New_York' },
      '2026-10-31T12:00:00Z',
      '2026-11-01T05:07:00Z',
      '2026-11-01T01:07[America/New_York]',
    ],
    [
      'daily in Europe/Berlin, repeated 02:05 → its first occurrence',
      { frequency: 'daily', hour: 2, delayMinutes: 5, timezone: 'Europe/Berlin' },
      '2026-10-24T12:00:00Z',
      '2026-10-25T00:05:00Z',
      '2026-10-25T02:05[Europe/Berlin]',
    ],
  ] as const)('%s', (_name, schedule, after, next, key) => {
    const profile = scheduledProfile(schedule);
    const slot = nextSlot(profile, at(after));
    expect(slot?.toISOString()).toBe(at(next).toISOString());
    expect(slotKey(profile, slot!)).toBe(key);
    // the same slot seen from the other side, inclusive
    expect(previousSlot(profile, slot!)?.toISOString()).toBe(slot!.toISOString());
  });

  it('a repeated (fall-back) hour runs once and both of its readings share one slot key', () => {
    const profile = scheduledProfile({
      frequency: 'daily',
      hour: 1,
      delayMinutes: 7,
      timezone: 'America/New_York',
    });
    const first = at('2026-11-01T05:07:00Z'); // 01:07 EDT
    const second = at('2026-11-01T06:07:00Z'); // 01:07 EST
    expect(nextSlot(profile, first)?.toISOString()).toBe('2026-11-02T06:07:00.000Z');
    expect(previousSlot(profile, at('2026-11-01T06:30:00Z'))?.toISOString()).toBe(first.toISOString());
    expect(slotKey(profile, second)).toBe(slotKey(profile, first));
  });

  it.each([
    ['America/New_York', 2],
    ['America/New_York', 1],
    ['Europe/Berlin', 2],
    ['Asia/Shanghai', 0],
  ] as const)('daily in %s at hour %i: every local day of 2026 has exactly one slot', (timezone, hour) => {
    const profile = scheduledProfile({ frequency: 'daily', hour, delayMinutes: 7, timezone });
    const keys: string[] = [];
    let cursor = at('2025-12-31T12:00:00Z');
    for (
      let s = nextSlot(profile, cursor);
      s !== undefined && s.getUTCFullYear() < 2027;
      s = nextSlot(profile, cursor)
    ) {
      const w = wallTime(s, timezone);
      if (w.year === 2026) keys.push(slotKey(profile, s).slice(0, 10));
      cursor = s;
    }
    expect(keys).toHaveLength(365);
    expect(new Set(keys).size).toBe(365);
  });

  it.each([
    [31, 2028, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]],
    [30, 2026, [30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]],
    [29, 2028, [29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29, 29]],
  ] as const)(
    'monthly %i: one slot every month of %i, on min(day, last day), never skipped',
    (dayOfMonth, year, days) => {
      const profile = scheduledProfile({
        frequency: 'monthly',
        dayOfMonth,
        hour: 4,
        delayMinutes: 3,
        timezone: 'Europe/Berlin',
      });
      const seen: number[] = [];
      let cursor = at(`${year - 1}-12-31T12:00:00Z`);
      for (let month = 1; month <= 12; month++) {
        const s = nextSlot(profile, cursor)!;
        const w = wallTime(s, 'Europe/Berlin');
        expect([w.year, w.month]).toEqual([year, month]);
        seen.push(w.day);
        cursor = s;
      }
      expect(seen).toEqual(days);
      expect(days.every((d, i) => d <= daysInMonth(year, i + 1))).toBe(true);
    },
  );

  it('previousSlot is inclusive and skips the rejected days of a clamped monthly pattern', () => {
    const profile = scheduledProfile({
      frequency: 'monthly',
      dayOfMonth: 31,
      hour: 4,
      delayMinutes: 3,
      timezone: 'UTC',
    });
    expect(previousSlot(profile, at('2026-03-30T23:00:00Z'))?.toISOString()).toBe('2026-02-28T04:03:00.000Z');
    expect(previousSlot(profile, at('2026-03-31T04:02:59.999Z'))?.toISOString()).toBe(
      '2026-02-28T04:03:00.000Z',
    );
    expect(previousSlot(profile, at('2026-03-31T04:03:00Z'))?.toISOString()).toBe('2026-03-31T04:03:00.000Z');
  });

  it('dueSlot takes the latest slot only while it is within the window', () => {
    const profile = scheduledProfile({ frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'UTC' });
    const slot = '2026-05-10T03:07:00.000Z';
    expect(dueSlot(profile, at('2026-05-10T09:07:00Z'), 6 * HOUR)?.toISOString()).toBe(slot);
    expect(dueSlot(profile, at('2026-05-10T09:07:01Z'), 6 * HOUR)).toBeUndefined();
    expect(dueSlot(profile, at('2026-05-10T03:06:59Z'), 6 * HOUR)).toBeUndefined();
  });

  it('the default delay is stable, derived from the profile id, and within 0-9 minutes', () => {
    expect(defaultDelayMinutes('acme')).toBe(7); // sha256("acme") = 822b33ad…, 0x822b33ad mod 10
    const delays = Array.from({ length: 300 }, (_, i) => defaultDelayMinutes(`profile-${i}`));
    expect(delays.every((d) => Number.isInteger(d) && d >= 0 && d <= 9)).toBe(true);
    expect(new Set(delays).size).toBe(10);
    const profile = scheduledProfile({ frequency: 'daily', hour: 3 }, 'acme');
    expect(slotPattern(profile.sync.schedule, 'acme')).toBe('7 3 * * *');
    expect(nextSlot(profile, at('2026-05-10T00:00:00Z'))?.toISOString()).toBe('2026-05-10T19:07:00.000Z'); // Asia/Shanghai by default
  });

  it.each([
    [{ frequency: 'daily', hour: 3, delayMinutes: 7 }, '7 3 * * *'],
    [{ frequency: 'weekly', weekday: 6, hour: 23, delayMinutes: 0 }, '0 23 * * 6'],
    [{ frequency: 'monthly', dayOfMonth: 1, hour: 0, delayMinutes: 59 }, '59 0 1 * *'],
    [{ frequency: 'monthly', dayOfMonth: 28, hour: 3, delayMinutes: 7 }, '7 3 28 * *'],
    [{ frequency: 'monthly', dayOfMonth: 29, hour: 3, delayMinutes: 7 }, '7 3 28-31 * *'],
    [{ frequency: 'monthly', dayOfMonth: 'last', hour: 3, delayMinutes: 7 }, '7 3 L * *'],
  ] as const)('pattern of %j is %s', (schedule, pattern) => {
    expect(slotPattern(scheduledProfile(schedule).sync.schedule, 'acme')).toBe(pattern);
  });

  it('the period is 24 h daily, 7 days weekly and 28 days monthly', () => {
    expect(periodMs({ frequency: 'daily' })).toBe(24 * HOUR);
    expect(periodMs({ frequency: 'weekly' })).toBe(7 * 24 * HOUR);
    expect(periodMs({ frequency: 'monthly' })).toBe(28 * 24 * HOUR);
    expect(() => periodMs({ frequency: undefined })).toThrow('manual');
  });

  it('manual mode and a disabled profile schedule nothing', () => {
    const manual = scheduledProfile({ mode: 'manual', frequency: 'daily', hour: 3 });
    const disabled = scheduledProfile({ frequency: 'daily', hour: 3 }, 'acme', false);
    for (const profile of [manual, disabled]) {
      expect(slotRule(profile)).toBeUndefined();
      expect(nextSlot(profile, at('2026-05-10T00:00:00Z'))).toBeUndefined();
      expect(previousSlot(profile, at('2026-05-10T00:00:00Z'))).toBeUndefined();
    }
    expect(slotPattern(manual.sync.schedule, 'acme')).toBeUndefined();
  });
});

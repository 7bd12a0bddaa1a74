import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import type { Profile, Schedule } from '../config/schema.js';
import { daysInMonth, formatWallMinute, wallTime } from './zoned.js';

/*
 * Slot maths: pure functions of a profile and an instant, with croner doing the calendar and
 * zone work. Croner 11 behaviour this relies on (checked in test/scheduler/slots.test.ts):
 * - a pattern with one second, minute and hour is a "fixed-time" job: a local time inside a DST
 *   gap runs at the first valid instant after the gap, on the same day (02:07 → 03:00 when
 *   02:00 jumps to 03:00), and a local time that occurs twice runs once, at its first occurrence;
 *   nextRun and previousRuns agree on this;
 * - `0 H 31 * *` skips months without a 31st, so days 29–31 use days 28–31 plus a filter;
 * - nextRun(d) is strictly after d; previousRuns(1, d) is strictly before d.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A scheduled profile's rule: a croner pattern in a zone, plus the day clamp croner cannot say. */
export interface SlotRule {
  readonly pattern: string;
  readonly timezone: string;
  /** Monthly 29–31: the slot is on min(clampDay, last day of the month). */
  readonly clampDay?: number;
}

/** Why a profile has no slots, or undefined when it has. */
export function unscheduledReason(profile: Profile): 'disabled' | 'manual' | undefined {
  if (!profile.sync.enabled) return 'disabled';
  if (profile.sync.schedule.mode !== 'auto') return 'manual';
  return undefined;
}

/** A stable 0–9 minutes after the hour, so profiles do not all call DingTalk on the hour. */
export function defaultDelayMinutes(profileId: string): number {
  return createHash('sha256').update(profileId, 'utf8').digest().readUInt32BE(0) % 10;
}

/** The croner pattern of an auto schedule; undefined in manual mode (or a field the schema requires is missing). */
export function slotPattern(schedule: Schedule, profileId: string): string | undefined {
  const { frequency, hour } = schedule;
  if (schedule.mode !== 'auto' || frequency === undefined || hour === undefined) return undefined;
  const at = `${schedule.delayMinutes ?? defaultDelayMinutes(profileId)} ${hour}`;
  switch (frequency) {
    case 'daily':
      return `${at} * * *`;
    case 'weekly':
      return schedule.weekday === undefined ? undefined : `${at} * * ${schedule.weekday}`;
    case 'monthly': {
      const day = schedule.dayOfMonth;
      if (day === undefined) return undefined;
      if (day === 'last') return `${at} L * *`;
      return day > 28 ? `${at} 28-31 * *` : `${at} ${day} * *`;
    }
  }
}

/** The rule of a profile, or undefined when it schedules nothing (disabled or manual). */
export function slotRule(profile: Profile): SlotRule | undefined {
  if (unscheduledReason(profile) !== undefined) return undefined;
  const { schedule } = profile.sync;
  const pattern = slotPattern(schedule, profile.id);
  if (pattern === undefined) return undefined;
  const day = schedule.dayOfMonth;
  const clamp = schedule.frequency === 'monthly' && typeof day === 'number' && day > 28;
  return clamp
    ? { pattern, timezone: schedule.timezone, clampDay: day }
    : { pattern, timezone: schedule.timezone };
}

/** How long a slot's deduplication lasts: at most one slot per period, and longer than any catch-up. */
export function periodMs(schedule: Pick<Schedule, 'frequency'>): number {
  switch (schedule.frequency) {
    case 'daily':
      return DAY_MS;
    case 'weekly':
      return 7 * DAY_MS;
    case 'monthly':
      return 28 * DAY_MS;
    case undefined:
      throw new Error('a manual schedule has no period');
  }
}

function cronOf(rule: SlotRule): Cron {
  // paused and without a function: croner only computes dates and sets no timer
  return new Cron(rule.pattern, { timezone: rule.timezone, paused: true });
}

function accepts(rule: SlotRule, instant: Date): boolean {
  if (rule.clampDay === undefined) return true;
  const w = wallTime(instant, rule.timezone);
  return w.day === Math.min(rule.clampDay, daysInMonth(w.year, w.month));
}

// days 28–31 hold at most four candidates a month, only one of them accepted
const MAX_CANDIDATES = 8;

/** The first slot strictly after `after`. */
export function nextSlot(profile: Profile, after: Date): Date | undefined {
  const rule = slotRule(profile);
  if (rule === undefined) return undefined;
  const cron = cronOf(rule);
  let cursor = after;
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    const run = cron.nextRun(cursor);
    if (run === null) return undefined;
    if (accepts(rule, run)) return run;
    cursor = run;
  }
  return undefined;
}

/** The last slot at or before `atOrBefore`. */
export function previousSlot(profile: Profile, atOrBefore: Date): Date | undefined {
  const rule = slotRule(profile);
  if (rule === undefined) return undefined;
  const cron = cronOf(rule);
  // previousRuns is strictly before its reference; one millisecond later makes it inclusive
  let cursor = new Date(atOrBefore.getTime() + 1);
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    const run = cron.previousRuns(1, cursor)[0];
    if (run === undefined) return undefined;
    if (accepts(rule, run)) return run;
    cursor = run;
  }
  return undefined;
}

/**
 * The latest slot at or before `now` if it is at most `windowMs` old: what a cron tick or a
 * catch-up check should enqueue.
 */
export function dueSlot(profile: Profile, now: Date, windowMs: number): Date | undefined {
  const slot = previousSlot(profile, now);
  if (slot === undefined) return undefined;
  return now.getTime() - slot.getTime() <= windowMs ? slot : undefined;
}

/**
 * The slot's identity, the same in every process: its local wall time plus the zone, e.g.
 * `2026-11-30T03:07[Asia/Shanghai]`. No UTC offset, so a repeated fall-back hour cannot give
 * one slot two keys.
 */
export function slotKey(profile: Profile, instant: Date): string {
  const zone = profile.sync.schedule.timezone;
  return `${formatWallMinute(wallTime(instant, zone))}[${zone}]`;
}

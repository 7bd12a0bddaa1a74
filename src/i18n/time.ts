import type { Locale } from './catalog.js';

/**
 * A time in the profile's zone with its offset, e.g. `2026-12-05 03:07:00 GMT+8`: the one way
 * the console, the CLI and the notifications show a time (test/repo/one-time-format.test.ts).
 */
export function localTime(at: Date | string | null | undefined, timeZone: string, locale: Locale): string {
  if (at === null || at === undefined || at === '') return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(d);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`;
}

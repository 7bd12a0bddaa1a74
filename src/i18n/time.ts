import type { Locale } from './catalog.js';

/** Formatters by locale and zone: building one costs more than formatting (a CSV of 100,000 rows). */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string, locale: Locale): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone}`;
  let f = FORMATS.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
    FORMATS.set(key, f);
  }
  return f;
}

/**
 * A time in the profile's zone with its offset, e.g. `2026-12-05 03:07:00 GMT+8`: the one way
 * the console, the CLI and the notifications show a time (test/repo/one-time-format.test.ts).
 */
export function localTime(at: Date | string | null | undefined, timeZone: string, locale: Locale): string {
  if (at === null || at === undefined || at === '') return '';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = formatOf(timeZone, locale).formatToParts(d);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')}`;
}

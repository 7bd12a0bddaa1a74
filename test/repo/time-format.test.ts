import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { localTime } from '../../src/i18n/time.js';
import { ROOT } from '../helpers/cli.js';
import { tsFiles } from '../helpers/import-graph.js';

/**
 * Files that use Intl's date formatting for something other than showing a time: the slot
 * arithmetic reads wall-clock fields, the config checks that a zone exists.
 */
const NOT_RENDERING = new Set(['src/calendar/zoned.ts', 'src/config/schema.ts']);
const RENDERS_A_DATE = /Intl\.DateTimeFormat|toLocale(?:String|DateString|TimeString)\(/;

describe('local time is formatted by one function', () => {
  it('local time is formatted by one function: no other module under src/ formats a date', () => {
    const formatters = tsFiles(ROOT, 'src').filter(
      (f) => !NOT_RENDERING.has(f) && RENDERS_A_DATE.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(formatters).toEqual(['src/i18n/time.ts']);
  });

  it.each([
    ['2026-12-04T19:07:00Z', 'Asia/Shanghai', 'zh-CN', '2026-12-05 03:07:00 GMT+8'],
    ['2026-12-04T19:07:00Z', 'Europe/Berlin', 'en', '2026-12-04 20:07:00 GMT+1'],
    [new Date('2026-07-15T01:07:00Z'), 'Europe/Berlin', 'en', '2026-07-15 03:07:00 GMT+2'],
    ['', 'UTC', 'en', ''],
    ['not a time', 'UTC', 'en', 'not a time'],
  ] as const)('%s in %s (%s) reads %s', (at, zone, locale, text) => {
    expect(localTime(at, zone, locale)).toBe(text);
  });
});

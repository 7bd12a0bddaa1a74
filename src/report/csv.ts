import type { Locale, Translate } from '../i18n/catalog.js';
import { localTime } from '../i18n/time.js';
import type { ListRow } from './list-rows.js';

/** Excel reads a UTF-8 file as such (Chinese intact) only when it starts with a byte order mark. */
export const BOM = '\uFEFF';

/** The columns, in their one stable order, by their catalog words. */
const COLUMNS = [
  'csv.time',
  'csv.action',
  'csv.name',
  'csv.dingtalkUserId',
  'csv.pdsUserId',
  'csv.departments',
  'csv.field',
  'csv.before',
  'csv.after',
  'csv.reason',
] as const;

/**
 * A cell as CSV: a value a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
 * or a tab or carriage return) gets a leading `'` (OWASP's CSV injection advice), and a cell
 * with a quote, a comma or a line break is quoted.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const line = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** The header row, in the reader's language, after the byte order mark. */
export function csvHeader(t: Translate): string {
  return BOM + line(COLUMNS.map((c) => t(c)));
}

/** A list row as CSV lines: one per changed field (one line when no field changed). */
export function csvLines(row: ListRow, time: (iso: string | undefined) => string): string {
  const head = [
    time(row.at),
    row.actionText,
    row.name,
    row.dingtalkUserId,
    row.pdsUserId,
    row.departments.join('; '),
  ];
  const reason = row.reason?.text ?? '';
  if (row.fields.length === 0) return line([...head, '', '', '', reason]);
  return row.fields.map((f) => line([...head, f.label, f.before ?? '', f.after ?? '', reason])).join('');
}

/** Lines per piece of a streamed CSV. */
const PIECE = 500;

/**
 * A list's rows as a CSV document, in pieces (a long list is never one string): the header in
 * the reader's language, then the rows, times in the profile's zone.
 */
export async function* csvDocument(
  rows: AsyncIterable<ListRow>,
  r: { readonly t: Translate; readonly locale: Locale; readonly timeZone: string },
): AsyncGenerator<string> {
  const time = (iso: string | undefined) => localTime(iso, r.timeZone, r.locale);
  yield csvHeader(r.t);
  let piece: string[] = [];
  for await (const row of rows) {
    piece.push(csvLines(row, time));
    if (piece.length >= PIECE) {
      yield piece.join('');
      piece = [];
    }
  }
  if (piece.length > 0) yield piece.join('');
}

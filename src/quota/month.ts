/*
 * DingTalk counts an organisation's calls per natural month in China (reference §4: 超额提示):
 * the month turns at Beijing midnight on the 1st, whatever this server's zone. China has kept
 * UTC+8 without daylight saving since 1991, so a fixed offset is exact and needs no zone data.
 */

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** A quota month, `YYYY-MM` in Beijing time. */
export type QuotaMonth = string;

/** The quota month an instant falls in: 2026-11-30T16:30Z is already `2026-12`. */
export function quotaMonth(at: Date): QuotaMonth {
  const beijing = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return `${beijing.getUTCFullYear()}-${String(beijing.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** When a quota month starts and when the next one does (both Beijing midnights). */
export function monthBounds(month: QuotaMonth): { readonly start: Date; readonly end: Date } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (m === null) throw new Error(`not a quota month: ${month}`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return {
    start: new Date(Date.UTC(year, index, 1) - BEIJING_OFFSET_MS),
    end: new Date(Date.UTC(year, index + 1, 1) - BEIJING_OFFSET_MS),
  };
}

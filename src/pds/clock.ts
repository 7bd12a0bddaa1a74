/**
 * How far this server's clock may be off PDS's. The JWT assertion's `iat` is set this much in
 * the past, so a clock up to this far ahead still signs an assertion PDS accepts; a token
 * request refused while the clock is off by more, either way, is named a clock problem
 * (`pds.clock_skew`), not a credentials one. Safe to change within a minute or two: a larger
 * margin back-dates every assertion more.
 */
export const CLOCK_MARGIN_SECONDS = 60;

/**
 * PDS's clock minus ours, in ms, from the `Date` header of an answer received at `receivedAt`
 * (our clock): undefined without a readable header. The header has a resolution of one
 * second, far below the margin.
 */
export function clockOffsetMs(date: string | undefined, receivedAt: number): number | undefined {
  if (date === undefined) return undefined;
  const theirs = Date.parse(date);
  return Number.isNaN(theirs) ? undefined : theirs - receivedAt;
}

/** Beyond the margin, either way. */
export const isSkewed = (offsetMs: number | undefined): boolean =>
  offsetMs !== undefined && Math.abs(offsetMs) > CLOCK_MARGIN_SECONDS * 1000;

/** An offset as the words show it: whole seconds, signed (`+600`: this server is ahead). */
export const offsetWords = (offsetMs: number): string => {
  const s = Math.round(-offsetMs / 1000);
  return s > 0 ? `+${s}` : String(s);
};

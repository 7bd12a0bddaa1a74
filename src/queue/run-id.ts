import { randomInt } from 'node:crypto';

/**
 * Our own job ids. BullMQ's are an auto-increment that restarts at 1 when Redis loses its data,
 * so an alert, a link or a typed `dtsync approve <id>` from before the loss could name another
 * run. Ours are a base36 millisecond time (8 characters until 2059, 9 after), a `-` and 6 random
 * base36 characters: ordered by time within one width, never reused across a data loss (two ids
 * of one millisecond share 1 in 2·10⁹ odds), at most 16 characters, no `:` (BullMQ refuses it in
 * custom ids), and never all digits, so never mistaken for an old numeric id, which still
 * resolves in the history.
 */
const TIME_WIDTH = 8;
const RANDOM_CHARS = 6;
const RANDOM_RANGE = 36 ** RANDOM_CHARS;

export function newRunId(now: number = Date.now()): string {
  const time = now.toString(36).padStart(TIME_WIDTH, '0');
  const random = randomInt(RANDOM_RANGE).toString(36).padStart(RANDOM_CHARS, '0');
  return `${time}-${random}`;
}

/** The rule every id we give a job keeps: at most 16 characters, no `:`, not all digits. */
export function keepsRunIdRule(id: string): boolean {
  return id.length <= 16 && !id.includes(':') && !/^\d+$/.test(id);
}

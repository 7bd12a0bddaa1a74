import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Items handled per turn of the event loop by `forEachInSlices` (a few milliseconds of work).
 * Trades turns (overhead) for timer lateness: a paced call whose timer waits behind a longer
 * slice goes out late and loses its instant. Safe from a few hundred to a few thousand.
 */
export const SLICE = 1000;

/**
 * Calls `fn` on every item, giving the event loop a turn after every `size` items, so timers
 * that fall due meanwhile run between the slices instead of after the whole loop. For the loops
 * over a whole organisation that run while DingTalk's walk goes on (the link prefetch's
 * judgement, the PDS snapshot's assembly): a paced call whose timer waits behind a 300 ms loop
 * goes out late and loses its instant.
 */
export async function forEachInSlices<T>(
  items: Iterable<T>,
  fn: (item: T) => void,
  size = SLICE,
): Promise<void> {
  let n = 0;
  for (const item of items) {
    fn(item);
    if (++n % size === 0) await nextTurn();
  }
}

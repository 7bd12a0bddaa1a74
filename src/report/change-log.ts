import type { RunChange, RunCounts } from './types.js';

/**
 * Where a run's full change log goes while it runs (a large first sync changes every user):
 * entries are batched and stored compressed, so the worker keeps only a bounded part in memory.
 */
export interface ChangeLog {
  add(change: RunChange): void;
  /**
   * Stores what is buffered, and with it the counts of what this attempt has applied so far
   * (so a recovered attempt can report what a killed one did); rejects if any earlier batch
   * failed.
   */
  flush(applied?: Readonly<RunCounts>): Promise<void>;
}

/** A log that keeps nothing (tests, and runs whose history is not kept). */
export const discardLog: ChangeLog = { add: () => undefined, flush: () => Promise.resolve() };

import type { RunStatus } from './types.js';

/** What decides how a run ended. */
export interface StatusFacts {
  readonly failed: boolean;
  readonly dryRun: boolean;
  /** The gate that held the run, if one did. */
  readonly heldBy: 'preflight' | 'breaker' | undefined;
  /** Records that failed in this attempt (planned failures included). */
  readonly failedRecords: number;
}

/**
 * A run that threw failed. A pre-flight hold holds a dry run too (its snapshot is in doubt); a
 * breaker hold only holds a real run (a dry run says a real one would be held). Otherwise a
 * real run succeeded, with errors when any record failed.
 */
export function runStatus(f: StatusFacts): RunStatus {
  if (f.failed) return 'failed';
  if (f.heldBy === 'preflight') return 'held';
  if (f.dryRun) return 'succeeded';
  if (f.heldBy === 'breaker') return 'held';
  return f.failedRecords > 0 ? 'succeeded_with_errors' : 'succeeded';
}

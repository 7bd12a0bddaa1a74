import { ApplyOutcome } from '../apply/outcome.js';
import type { RunPeople } from '../report/people.js';
import { NO_EARLIER_ATTEMPTS, type EarlierAttempts } from '../report/recovery.js';
import type { EngineDeps, RunRequest } from './types.js';

/**
 * How often an applying run stores its record (change log and counts): what a kill -9 can
 * leave uncounted. Shorter costs more small Redis writes; safe to change.
 */
const RECORD_FLUSH_MS = 500;

/** The run's record while it goes: what it did (counts, changes, failures) and what earlier attempts did. */
export interface RunRecord {
  readonly outcome: ApplyOutcome;
  readonly earlier: EarlierAttempts;
  /** Stops the periodic store and stores the rest; a failed store surfaces here. */
  close(): Promise<void>;
}

/**
 * Opens the record: counts, the first changes and failures inline, all of them in the run's
 * change log (named from `people`), stored every RECORD_FLUSH_MS. A real run keeps what its earlier attempts wrote
 * and reads their counts, to count what they did.
 */
export async function openRecord(req: RunRequest, deps: EngineDeps, people: RunPeople): Promise<RunRecord> {
  const attempt = req.attempt ?? 1;
  const log = deps.history.changeLog(req.runId, { attempt, keepEarlier: !req.dryRun, people, now: deps.now });
  const outcome = new ApplyOutcome(log);
  const earlier = req.dryRun ? NO_EARLIER_ATTEMPTS : await deps.history.earlierAttempts(req.runId, attempt);
  const stopFlushing = outcome.flushEvery(RECORD_FLUSH_MS);
  return {
    outcome,
    earlier,
    close: async () => {
      stopFlushing();
      await outcome.flush();
    },
  };
}

import { runWrites, type GateResult } from '../gate/gate-run.js';
import type { Logger } from '../process/logger.js';
import type { RunReport } from '../report/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { PeopleWriter } from './store.js';

/** What a run's last step knows, for the per-person index. */
export interface PeopleInputs {
  readonly source?: SourceSnapshot | undefined;
  readonly target?: TargetSnapshot | undefined;
  readonly gate?: GateResult | undefined;
}

/**
 * Adds a finished run to the per-person index: every run that wrote adds its changes and
 * failures to each person's history; a complete one (it applied without error, so it is the
 * profile's last complete run) also replaces the cards and the department tree. A failure to
 * index is logged, never the run's failure: the sync itself is done by then.
 */
export async function indexRun(
  people: PeopleWriter,
  r: RunReport,
  s: PeopleInputs,
  log: Logger,
): Promise<void> {
  if (r.dryRun || s.gate === undefined || !runWrites(s.gate, false)) return;
  try {
    const failed = await people.addChanges(r.profileId, r.runId, r.startedAt);
    const applied = s.gate.apply;
    if (r.error !== undefined || applied === undefined || s.source === undefined || s.target === undefined)
      return;
    await people.addComplete(r.profileId, {
      runId: r.runId,
      at: r.startedAt,
      source: s.source,
      target: s.target,
      applied,
      failed,
    });
  } catch (err) {
    log.warn({ err, runId: r.runId }, 'the per-person index was not updated for this run');
  }
}

import type { Logger } from '../process/logger.js';
import { enqueueGraceRecheck } from '../queue/enqueue.js';
import type { SyncQueue } from '../queue/queue.js';
import type { EndedRun, RunEndedListener } from './run-ended.js';

/**
 * After a real run that left people in grace, queues the run that reads them again when the
 * soonest grace ends (a delayed job, deduplicated per instant). That run queues the next one
 * for the people still in grace, so every end is met without waiting for the schedule.
 */
export class GraceRecheck implements RunEndedListener {
  constructor(
    private readonly queue: SyncQueue,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async runEnded(run: EndedRun): Promise<void> {
    const grace = run.report?.grace;
    if (run.dryRun || !run.final || grace === undefined || grace.length === 0) return;
    const soonest = Math.min(...grace.map((g) => Date.parse(g.until)).filter(Number.isFinite));
    if (!Number.isFinite(soonest)) return;
    const { runId, existing } = await enqueueGraceRecheck(
      this.queue,
      run.profileId,
      new Date(soonest),
      this.now(),
    );
    if (!existing)
      this.log.info(
        { profileId: run.profileId, runId, at: new Date(soonest).toISOString() },
        'grace re-read queued',
      );
  }
}

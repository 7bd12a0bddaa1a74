import type { Worker } from 'bullmq';
import type { Logger } from '../process/logger.js';
import { METRICS } from '../metrics/names.js';
import type { MetricsWriter } from '../metrics/metrics-writer.js';
import {
  isJobOf,
  runDataOf,
  type JobData,
  type JobName,
  type JobResult,
  type SyncJobData,
} from '../queue/jobs.js';
import type { RunSummary } from '../report/summary.js';
import type { RunTrigger } from '../report/types.js';
import type { RunHistory } from '../state/history.js';
import { isFinalAttempt } from './final-attempt.js';

/** One ended attempt of a run, as the after-run work sees it. */
export interface EndedRun {
  readonly runId: string;
  readonly profileId: string;
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
  /** BullMQ will not run it again (completed, or failed for the last time). */
  readonly final: boolean;
  /** This attempt's saved summary; absent when it ended without one (unknown profile, lost lock). */
  readonly report: RunSummary | undefined;
  /** Why it failed, when it did. */
  readonly error: string | undefined;
}

/** What happens once an attempt has ended and its report is saved (notifications). */
export interface RunEndedListener {
  runEnded(run: EndedRun): Promise<void>;
}

export interface RunEndedDeps {
  readonly history: RunHistory;
  readonly metrics: MetricsWriter;
  readonly listeners: readonly RunEndedListener[];
  readonly log: Logger;
}

/** A report saved before this attempt started belongs to an earlier attempt. */
const CLOCK_SLACK_MS = 5000;

/**
 * Hands each ended attempt of this worker's jobs to the metrics and the listeners, from
 * BullMQ's completed and failed events: after the report is saved and off the job's path, so
 * nothing here can fail or stall a run. Returns a drain for shutdown.
 */
export function onRunEnded(
  worker: Worker<JobData, JobResult, JobName>,
  deps: RunEndedDeps,
): () => Promise<void> {
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const p = work.catch((err: unknown) =>
      deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'after-run work failed'),
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const ended = async (run: EndedRun) => {
    const { report, final } = run;
    const metrics =
      report !== undefined
        ? deps.metrics.runEnded(report, final)
        : deps.metrics.count(METRICS.runs.name, {
            profile: run.profileId,
            trigger: run.trigger,
            status: run.dryRun ? 'dry_run' : final ? 'failed' : 'retrying',
          });
    await Promise.all([metrics, ...deps.listeners.map((l) => l.runEnded(run))]);
  };
  const base = (d: SyncJobData, runId: string) => ({
    runId,
    profileId: d.profileId,
    trigger: d.trigger,
    dryRun: d.dryRun,
  });
  // config-check jobs share the queue: only sync runs are runs
  worker.on('completed', (job) => {
    if (!isJobOf(job, 'sync-run')) return;
    const report: RunSummary = job.returnvalue;
    track(ended({ ...base(job.data, String(job.id)), final: true, report, error: undefined }));
  });
  worker.on('failed', (job, err) => {
    const data = job === undefined ? undefined : runDataOf(job);
    if (job === undefined || data === undefined) return;
    const final = isFinalAttempt(job, err);
    track(
      (async () => {
        const saved = await deps.history.get(String(job.id));
        const fresh =
          saved !== undefined && Date.parse(saved.startedAt) >= (job.processedOn ?? 0) - CLOCK_SLACK_MS;
        const report = fresh ? saved : undefined;
        await ended({ ...base(data, String(job.id)), final, report, error: err.message });
      })(),
    );
  });
  return async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
}

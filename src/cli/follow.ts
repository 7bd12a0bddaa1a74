import { QueueEvents } from 'bullmq';
import { workerConnection } from '../infra/redis.js';
import { SYNC_QUEUE, type SyncJobProgress } from '../queue/jobs.js';
import type { RunReport } from '../report/types.js';
import type { Operator } from './operator.js';

function progressText(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null || !('phase' in p)) return undefined;
  const { phase, done, total } = p as SyncJobProgress;
  return done === undefined || total === undefined ? phase : `${phase} ${done}/${total}`;
}

/**
 * Follows a run until it finishes (a progress line on a TTY) and returns its report. A run
 * retried after a transient failure is followed through its retries.
 */
export async function followRun(
  op: Operator,
  runId: string,
  onLine: (s: string) => void,
): Promise<RunReport> {
  const connection = workerConnection(op.redisUrl);
  const events = new QueueEvents(SYNC_QUEUE, { connection, prefix: op.loaded.config.redis.prefix });
  const tty = process.stderr.isTTY;
  events.on('progress', ({ jobId, data }) => {
    const text = jobId === runId ? progressText(data) : undefined;
    if (text !== undefined && tty) process.stderr.write(`\r\x1b[Krun ${runId}: ${text}`);
  });
  try {
    await events.waitUntilReady();
    for (;;) {
      const job = await op.queue.getJob(runId);
      if (job === undefined) break; // finished and removed: the report is in the history
      try {
        await job.waitUntilFinished(events);
        break;
      } catch {
        // a failed attempt that BullMQ will retry: keep following
        const state = await job.getState();
        if (state === 'failed' || state === 'completed' || state === 'unknown') break;
      }
    }
    if (tty) process.stderr.write('\r\x1b[K');
    const report = await op.history.get(runId);
    if (report === undefined)
      throw new Error(`run ${runId} finished without a report (see the worker's log)`);
    onLine(`run ${runId}: ${report.status}`);
    return report;
  } finally {
    await events.close();
    connection.disconnect(); // BullMQ leaves a connection it was given open
  }
}

import { QueueEvents } from 'bullmq';
import type { Config } from '../config/schema.js';
import { CliError, ExitCode } from '../infra/exit-codes.js';
import { maskUrlPassword } from '../infra/mask.js';
import { workerConnection } from '../infra/redis.js';
import { SYNC_QUEUE, type SyncJobProgress } from '../queue/jobs.js';
import type { RunReport } from '../report/types.js';
import { watchRun, type WatchOptions } from './watch-run.js';
import type { Operator } from './operator.js';

export type FollowOptions = WatchOptions;

/** The config's `wait` settings as follow options. */
export function waitOptions(config: Config): FollowOptions {
  return { checkMs: config.wait.checkSeconds * 1000, redisLossMs: config.wait.redisLossSeconds * 1000 };
}

function progressText(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null || !('phase' in p)) return undefined;
  const { phase, done, total } = p as SyncJobProgress;
  return done === undefined || total === undefined ? phase : `${phase} ${done}/${total}`;
}

async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Follows a run until it finishes (a progress line on a TTY) and returns its report. A run
 * retried after a transient failure is followed through its retries. A run whose job vanished,
 * or a Redis out of reach for `redisLossMs`, ends the wait without an outcome (exit code 7).
 */
export async function followRun(
  op: Operator,
  runId: string,
  onLine: (s: string) => void,
  options: FollowOptions = {},
): Promise<RunReport> {
  // read events from the last one now on: a finish before the reader's first XREAD is not missed
  const [last] = await op.redis.xrevrange(op.queue.toKey('events'), '+', '-', 'COUNT', 1);
  const connection = workerConnection(op.redisUrl);
  const events = new QueueEvents(SYNC_QUEUE, {
    connection,
    prefix: op.loaded.config.redis.prefix,
    lastEventId: last?.[0] ?? '0-0',
  });
  // without a listener BullMQ prints every reconnect failure as a stack trace
  events.on('error', () => undefined);
  const tty = process.stderr.isTTY;
  events.on('progress', ({ jobId, data }) => {
    const text = jobId === runId ? progressText(data) : undefined;
    if (text !== undefined && tty) process.stderr.write(`\r\x1b[Krun ${runId}: ${text}`);
  });
  try {
    const end = await watchRun(op, runId, events, options);
    if (tty) process.stderr.write('\r\x1b[K');
    if (end.kind === 'job-gone')
      throw new CliError(
        `run ${runId} no longer exists in Redis (its job was removed, or Redis restarted without its data): its outcome is unknown`,
        ExitCode.NoOutcome,
      );
    if (end.kind === 'redis-lost')
      throw new CliError(
        `lost contact with Redis at ${maskUrlPassword(op.redisUrl)} for more than ${end.windowMs / 1000} s (${end.cause}) while waiting for run ${runId}: its outcome is unknown; see \`dtsync runs show ${runId}\` once Redis is back`,
        ExitCode.NoOutcome,
      );
    const report = await op.history.get(runId);
    if (report === undefined)
      throw new Error(`run ${runId} finished without a report (see the worker's log)`);
    onLine(`run ${runId}: ${report.status}`);
    return report;
  } finally {
    const closing = events.close().catch(() => undefined);
    connection.disconnect(); // BullMQ leaves a connection it was given open
    // without Redis the close never ends (ioredis emits no 'end' for a reconnecting client)
    await settledWithin(closing, 1000);
  }
}

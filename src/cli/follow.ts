import { QueueEvents } from 'bullmq';
import type { Config } from '../config/schema.js';
import { ExitCode } from '../errors/exit-code.js';
import { workerConnection } from '../redis/connections.js';
import { describeRedis } from '../config/redis-target.js';
import { runProgressOf } from '../engine/progress.js';
import { SYNC_QUEUE } from '../queue/jobs.js';
import type { RunSummary } from '../report/summary.js';
import { runErrorText } from '../report/words.js';
import type { Translate } from '../i18n/catalog.js';
import { localTime } from '../i18n/time.js';
import { statusText } from './print-report.js';
import { cliError } from './lang.js';
import { reportStyle, type Operator } from './operator.js';
import { watchRun, type WatchOptions } from './watch-run.js';

export interface FollowOptions extends Omit<WatchOptions, 'onAttemptFailed'> {
  /** Minutes a whole run is expected to take (shown beside the progress), when known. */
  readonly estimateMinutes?: number | undefined;
  /** Without a TTY, a progress line at most this often. @defaultValue 10000 */
  readonly plainEveryMs?: number;
}

/** The config's `wait` settings as follow options. */
export function waitOptions(config: Config): FollowOptions {
  return { checkMs: config.wait.checkSeconds * 1000, redisLossMs: config.wait.redisLossSeconds * 1000 };
}

/** A run's progress in the operator's words, or undefined for an unknown shape. */
export function progressText(p: unknown, t: Translate): string | undefined {
  const progress = runProgressOf(p);
  if (progress === undefined) return undefined;
  const { phase, done, total, read, applied } = progress;
  const name = t(`phase.${phase}`);
  if (phase === 'apply' && done !== undefined && total !== undefined)
    return t('cli.progress.apply', {
      phase: name,
      done,
      total,
      ...(applied ?? { created: 0, updated: 0, disabled: 0, failed: 0 }),
    });
  const vars = {
    phase: name,
    dtUsers: read.dingtalkUsers,
    dtDepts: read.dingtalkDepartments,
    pdsUsers: read.pdsUsers,
  };
  return t(phase === 'source' || phase === 'target' ? 'cli.progress.read' : 'cli.progress.plan', vars);
}

async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Follows a run until it finishes and returns its report. It shows the run's progress (one
 * updating line on a TTY, else a line every 10 s), one line per failed attempt that will be
 * retried, and ends without an outcome (exit 7) when no worker is online to run it, when its
 * job vanished, when Redis stays out of reach, or on Ctrl-C (the run goes on).
 */
export async function followRun(
  op: Operator,
  runId: string,
  onLine: (s: string) => void,
  options: FollowOptions = {},
): Promise<RunSummary> {
  const { t } = op.lang;
  // read events from the last one now on: a finish before the reader's first XREAD is not missed
  const [last] = await op.redis.xrevrange(op.queue.toKey('events'), '+', '-', 'COUNT', 1);
  const connection = workerConnection(op.redisTarget);
  const events = new QueueEvents(SYNC_QUEUE, {
    connection,
    prefix: op.loaded.config.redis.prefix,
    lastEventId: last?.[0] ?? '0-0',
  });
  // without a listener BullMQ prints every reconnect failure as a stack trace
  events.on('error', () => undefined);
  const job = await op.queue.getJob(runId);
  const style = reportStyle(op, job?.data.profileId ?? '');
  const tty = process.stderr.isTTY;
  const plainEveryMs = options.plainEveryMs ?? 10_000;
  let lastPlain = -Infinity;
  const estimate =
    options.estimateMinutes === undefined
      ? ''
      : t('cli.progress.estimate', { minutes: options.estimateMinutes });
  events.on('progress', ({ jobId, data }) => {
    const text = jobId === runId ? progressText(data, t) : undefined;
    if (text === undefined) return;
    if (tty) process.stderr.write(`\r\x1b[K${runId}: ${text}${estimate}`);
    else if (Date.now() - lastPlain >= plainEveryMs) {
      lastPlain = Date.now();
      onLine(`${runId}: ${text}${estimate}`);
    }
  });
  const clearLine = () => {
    if (tty) process.stderr.write('\r\x1b[K');
  };
  // Ctrl-C ends the wait, never the run
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const end = await watchRun(op, runId, events, {
      ...options,
      signal: stop.signal,
      onQueued: () => onLine(`${runId}: ${t('cli.queued')}`),
      onAttemptFailed: (a) => {
        clearLine();
        const reason =
          a.error !== undefined ? runErrorText(a.error, t) : (a.reason ?? t('cli.unknownReason'));
        const vars = { attempt: a.attempt, of: a.of, reason };
        onLine(
          a.nextAt === undefined
            ? t('cli.attemptFailedNoNext', vars)
            : t('cli.attemptFailed', {
                ...vars,
                next: localTime(new Date(a.nextAt), style.timeZone, style.locale),
              }),
        );
      },
    });
    clearLine();
    switch (end.kind) {
      case 'stopped':
        throw cliError(op.lang, ExitCode.NoOutcome, 'interrupted', 'cli.interrupted', { runId });
      case 'job-gone':
        throw cliError(op.lang, ExitCode.NoOutcome, 'job_gone', 'cli.jobGone', { runId });
      case 'redis-lost':
        throw cliError(op.lang, ExitCode.NoOutcome, 'redis_lost', 'cli.redisLost', {
          url: describeRedis(op.redisTarget),
          seconds: end.windowMs / 1000,
          cause: end.cause,
          runId,
        });
      case 'no-worker':
        throw cliError(op.lang, ExitCode.NoOutcome, 'no_worker', 'cli.noWorker', { runId });
      case 'finished':
        break;
    }
    const report = await op.history.get(runId);
    if (report === undefined)
      throw cliError(op.lang, ExitCode.Failed, 'no_report', 'cli.noReport', { runId });
    onLine(t('cli.outcome', { runId, status: statusText(report, t) }));
    return report;
  } finally {
    process.off('SIGINT', onInterrupt);
    const closing = events.close().catch(() => undefined);
    connection.disconnect(); // BullMQ leaves a connection it was given open
    // without Redis the close never ends (ioredis emits no 'end' for a reconnecting client)
    await settledWithin(closing, 1000);
  }
}

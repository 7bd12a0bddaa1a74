import { runCheck } from '../../check/run-check.js';
import type { Operator } from '../operator.js';
import { followRun, waitOptions } from '../follow.js';
import type { CliLang } from '../lang.js';
import type { DemoWorldKit } from '../load-simulators.js';
import { loadConfig } from '../../config/load.js';
import { exitCodeForReport } from '../exit-for-report.js';
import { CliError } from '../../errors/cli-error.js';
import { ExitCode } from '../../errors/exit-code.js';
import { createLogger } from '../../process/logger.js';
import { RedisEgressPause } from '../../pacing/egress-pause.js';
import { RedisPacer } from '../../pacing/pacer.js';
import { producerConnection } from '../../redis/connections.js';
import { redisTargetOf } from '../../config/redis-target.js';
import { Shutdown } from '../../process/shutdown.js';
import { enqueueManual } from '../../queue/enqueue.js';
import { openSyncQueue } from '../../queue/queue.js';
import { RunHistory } from '../../state/history.js';
import { StateKeys } from '../../state/keys.js';
import { startScheduler } from '../../../workers/scheduler.js';
import { startSyncWorker } from '../../../workers/sync.js';
import { publicUrlOf } from '../../web/startable.js';
import { Cleanup } from './cleanup.js';
import { startConsole } from './console.js';
import { DEMO_PROFILE } from './config.js';
import { summaryLines, checkLines } from './first-sync.js';
import { reportDetails } from '../report-details.js';
import { changeOrgPeriodically } from './serve.js';
import { startDemoStack, type DemoWorld } from './start-stack.js';

export interface DemoOptions extends DemoWorld {
  /** What the demo starts from the test tools (src/cli/load-simulators.ts). */
  readonly kit: DemoWorldKit;
  readonly once: boolean;
  /** The console's port was the default one (not --port): taken, it gives way to a free one. */
  readonly portFallback: boolean;
  readonly realLimits: boolean;
  /** Milliseconds between the org changes while serving. */
  readonly changeEveryMs: number;
  readonly lang: CliLang;
  readonly out: (line: string) => void;
  readonly note: (line: string) => void;
}

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (s: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(s);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/**
 * `dtsync demo`: the whole service against a simulated org, from 配置检测 to a first sync,
 * then (without --once) serving the console while the org changes. Returns the exit code;
 * everything it started is stopped before it returns, on success and on error alike.
 */
export async function runDemo(o: DemoOptions): Promise<number> {
  const { t } = o.lang;
  const cleanup = new Cleanup();
  // a Ctrl-C during start-up or the first sync still stops what runs (followRun handles its own)
  const stopping = untilSignal();
  try {
    return await demo(o, cleanup, stopping);
  } finally {
    const failed = await cleanup.run();
    for (const f of failed) o.note(t('demo.stopFailed', { what: f }));
    o.note(t('demo.stopped'));
  }
}

async function demo(o: DemoOptions, cleanup: Cleanup, stopping: Promise<string>): Promise<number> {
  const { t } = o.lang;
  o.note(t('demo.starting', { users: o.users, departments: o.departments, seed: o.seed }));
  const stack = await startDemoStack(o.kit, o, cleanup, {
    note: o.note,
    onRobot: (m) =>
      o.out(t('demo.robot', { title: m.markdown.title, text: m.markdown.text.replace(/\n+/g, ' ⏎ ') })),
  });
  o.note(
    t('demo.started', {
      pid: stack.redis.pid,
      redis: stack.redis.url,
      dingtalk: stack.dingtalk.url,
      pds: stack.pds.url,
      robot: stack.robotUrl,
    }),
  );
  // the demo's own config file alone: no REDIS_URL or secret of the caller's shell leaks in
  const loaded = loadConfig({ path: stack.configPath, env: {}, requireWeb: true });
  const { config } = loaded;
  const profile = config.profiles[0];
  if (profile === undefined) throw new Error('the demo config has no profile');
  const log = createLogger({ level: 'warn' });
  const shutdown = new Shutdown(log, (config.worker.shutdownTimeoutSeconds + 15) * 1000);
  cleanup.add('roles', () => shutdown.run('demo done'));
  const redisTarget = redisTargetOf(config, {});
  const ctx = { loaded, configPath: stack.configPath, redis: redisTarget, log, shutdown };
  for (const role of [startScheduler, startSyncWorker]) await role(ctx);
  const web = await startConsole(ctx, o);

  const redis = producerConnection(redisTarget);
  const queue = openSyncQueue(redis, config.redis.prefix, config.runs);
  queue.on('error', () => undefined);
  cleanup.add('operator connection', async () => {
    await queue.close();
    redis.disconnect();
  });
  const keys = new StateKeys(config.redis.prefix);
  const op: Operator = {
    loaded,
    lang: o.lang,
    redisTarget,
    redis,
    queue,
    keys,
    history: new RunHistory(redis, keys, config.history.keepRuns),
  };

  const check = await runCheck(profile, {
    log,
    pacer: new RedisPacer(redis, config.redis.prefix),
    redis: { client: redis, prefix: config.redis.prefix },
    egress: new RedisEgressPause(redis, config.redis.prefix, config.dingtalkBan.maxWaitSeconds),
  });
  for (const line of checkLines(check, t)) o.out(line);
  if (!check.ok) throw new CliError(t('demo.checkFailed'), ExitCode.Failed);

  o.out(t('demo.firstSync'));
  const started = Date.now();
  const run = await enqueueManual(queue, DEMO_PROFILE, { dryRun: false, deep: false, actor: 'demo' });
  const report = await followRun(op, run.runId, o.note, {
    ...waitOptions(config),
    estimateMinutes: check.estimate?.minutes,
  });
  const seconds = (Date.now() - started) / 1000;
  const details = await reportDetails(op.history, report, 10);
  for (const line of summaryLines(report, details, {
    t,
    seconds,
    realLimits: o.realLimits,
    limits: o.limits,
  }))
    o.out(line);
  // a wildcard host is printed as 127.0.0.1, the address that reaches it from this machine
  const url = publicUrlOf(web);
  o.out(t('demo.console', { url, username: stack.login.username, password: stack.login.password }));
  const code = exitCodeForReport(report);
  if (o.once) return code;

  await changeOrgPeriodically(
    {
      control: stack.dingtalk.control,
      queue,
      redisUrl: stack.redis.url,
      prefix: config.redis.prefix,
      everyMs: o.changeEveryMs,
      t,
      out: o.out,
    },
    cleanup,
  );
  o.out(t('demo.serving', { seconds: o.changeEveryMs / 1000 }));
  await stopping;
  return ExitCode.Ok;
}

import { Worker } from 'bullmq';
import { loadConfig } from '../src/config/load.js';
import { ConfigError } from '../src/errors/config-error.js';
import { runCheck } from '../src/check/run-check.js';
import { RedisEgressPause } from '../src/pacing/egress-pause.js';
import { RedisPacer } from '../src/pacing/pacer.js';
import { Notifier } from '../src/notify/notifier.js';
import { QuotaAlerts } from '../src/notify/quota-alerts.js';
import { MetricsWriter } from '../src/metrics/metrics-writer.js';
import { workerConnection } from '../src/redis/connections.js';
import type { RoleEntry } from '../src/process/role.js';
import { SYNC_QUEUE } from '../src/queue/jobs.js';
import { openSyncQueue } from '../src/queue/queue.js';
import { RunHistory } from '../src/state/history.js';
import { StateKeys } from '../src/state/keys.js';
import { closeWorker } from '../src/worker/close-worker.js';
import { engineFactory } from '../src/worker/engine-deps.js';
import { GraceRecheck } from '../src/worker/grace-recheck.js';
import { isFinalAttempt } from '../src/worker/final-attempt.js';
import { syncProcessor } from '../src/worker/processor.js';
import { ProfileLock } from '../src/worker/profile-lock.js';
import { onRunEnded } from '../src/worker/run-ended.js';
import { MonthlyCallCounter } from '../src/quota/call-counter.js';
import { dingtalkQuota } from '../src/quota/dingtalk-quota.js';

/** The sync worker role: wiring only; the decisions live in src/worker and src/engine. */
export const startSyncWorker: RoleEntry = async (ctx) => {
  const { config } = ctx.loaded;
  const log = ctx.log.child({ component: 'sync-worker' });
  const bull = workerConnection(ctx.redis);
  const state = workerConnection(ctx.redis);
  const keys = new StateKeys(config.redis.prefix);
  // SIGHUP re-reads the config file: profiles and their settings apply to the next job (a job
  // asked with another config waits for it, see the fingerprint check); the Redis prefix and
  // the worker's own settings need a restart. An invalid file is logged and the current kept.
  let current = config;
  const onHangup = () => {
    try {
      current = loadConfig({ path: ctx.loaded.file }).config;
      log.info({ profiles: current.profiles.length }, 'config reloaded');
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : [String(err)];
      log.error({ problems }, 'config reload failed: keeping the current config');
    }
  };
  process.on('SIGHUP', onHangup);
  ctx.shutdown.add('intake', 'sync-worker-sighup', () => {
    process.off('SIGHUP', onHangup);
    return Promise.resolve();
  });
  const pacer = new RedisPacer(state, config.redis.prefix);
  const egress = new RedisEgressPause(state, config.redis.prefix, config.dingtalkBan.maxWaitSeconds);
  const history = new RunHistory(state, keys, config.history.keepRuns);
  const metrics = new MetricsWriter(state, config.redis.prefix, log);
  const counter = new MonthlyCallCounter(state, keys, { log });
  const quota = dingtalkQuota({ redis: state, keys, counter, profiles: () => current.profiles });
  const processor = syncProcessor({
    config: () => current,
    keys,
    lock: new ProfileLock(state, log),
    history,
    log,
    engineFor: metrics.meter(
      engineFactory({
        keepRuns: config.history.keepRuns,
        redis: state,
        keys,
        pacer,
        egress,
        log,
        quota,
      }),
    ),
    check: (profile, signal) =>
      runCheck(profile, {
        log,
        pacer,
        egress,
        signal,
        redis: { client: state, prefix: config.redis.prefix },
        quota,
      }),
  });
  const lockMs = config.worker.lockSeconds * 1000;
  const worker = new Worker(SYNC_QUEUE, processor, {
    connection: bull,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 2,
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'worker connection error'));
  worker.on('failed', (job, err) => {
    // intermediate retries are noise: an error only on the final attempt
    const final = isFinalAttempt(job, err);
    const fields = {
      runId: job?.id,
      profileId: job?.data.profileId,
      attempt: job?.attemptsMade,
      reason: err.message,
    };
    if (final) log.error(fields, 'run failed');
    else log.warn(fields, 'run failed, will be retried');
  });
  const notifier = new Notifier({ redis: state, config, log, count: (name, l) => metrics.count(name, l) });
  const quotaAlerts = new QuotaAlerts({ redis: state, config, log, notifier });
  // the delayed run that reads the people in grace again when the soonest grace ends
  const graceQueue = openSyncQueue(state, config.redis.prefix, config.runs);
  const drainAfterRun = onRunEnded(worker, {
    history,
    metrics,
    listeners: [notifier, quotaAlerts, new GraceRecheck(graceQueue, log)],
    log,
  });
  ctx.shutdown.add('work', 'sync-worker', async () => {
    await closeWorker(worker, config.worker.shutdownTimeoutSeconds * 1000, log);
    await drainAfterRun(); // bounded: every notification has its own timeout
    await graceQueue.close();
    await metrics.close();
    await counter.close();
  });
  ctx.shutdown.add('connections', 'sync-worker-redis', async () => {
    await Promise.all([bull.quit(), state.quit()]);
  });
  await worker.waitUntilReady();
  log.info({ concurrency: config.worker.concurrency }, 'sync worker ready');
};

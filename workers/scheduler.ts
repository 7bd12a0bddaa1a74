import { loadConfig } from '../src/config/load.js';
import { producerConnection } from '../src/redis/connections.js';
import type { RoleEntry } from '../src/process/role.js';
import { MetricsWriter } from '../src/metrics/metrics-writer.js';
import { Notifier } from '../src/notify/notifier.js';
import { openSyncQueue } from '../src/queue/queue.js';
import { Scheduler } from '../src/scheduler/scheduler.js';

/** The scheduler role: wiring only; the decisions live in src/scheduler. */
export const startScheduler: RoleEntry = async (ctx) => {
  const log = ctx.log.child({ component: 'scheduler' });
  const connection = producerConnection(ctx.redis);
  const queue = openSyncQueue(connection, ctx.loaded.config.redis.prefix, ctx.loaded.config.runs);
  // without a listener BullMQ prints connection errors with console.error; a tick logs its own failure
  queue.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  ctx.shutdown.add('connections', 'scheduler-redis', async () => {
    await metrics.close();
    await queue.close();
    await connection.quit();
  });

  const metrics = new MetricsWriter(connection, ctx.loaded.config.redis.prefix, log);
  const notifier = new Notifier({
    redis: connection,
    config: ctx.loaded.config,
    log,
    count: (name, labels) => metrics.count(name, labels),
  });
  const scheduler = new Scheduler({
    queue,
    log,
    onSlot: (profile, config) => notifier.withConfig(config).checkStale(profile),
  });
  // the file that was loaded at start, however it was found (--config, DTSYNC_CONFIG, default)
  const reload = () => loadConfig({ path: ctx.loaded.file }).config;
  const onHangup = () => void scheduler.reload(reload);
  process.on('SIGHUP', onHangup);
  ctx.shutdown.add('intake', 'scheduler-crons', async () => {
    process.off('SIGHUP', onHangup);
    await scheduler.stop();
  });

  await scheduler.start(ctx.loaded.config);
};

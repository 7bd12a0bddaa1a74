import { producerConnection } from '../src/redis/connections.js';
import type { RoleEntry } from '../src/process/role.js';
import { openSyncQueue } from '../src/queue/queue.js';
import { RunHistory } from '../src/state/history.js';
import { StateKeys } from '../src/state/keys.js';
import { buildWebApp } from '../src/web/app.js';
import { publicUrlOf } from '../src/web/startable.js';

/** The web role: wiring only; the console, API and dashboard live in src/web. */
export const startWeb: RoleEntry = async (ctx) => {
  const { config } = ctx.loaded;
  const web = config.web;
  if (web === undefined) throw new Error('the web role needs a web: section');
  const log = ctx.log.child({ component: 'web' });
  const redis = producerConnection(ctx.redis);
  const queue = openSyncQueue(redis, config.redis.prefix, config.runs);
  queue.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  // requests are answered 503 until Redis is ready: be ready before listening
  await queue.waitUntilReady();
  const keys = new StateKeys(config.redis.prefix);
  const app = await buildWebApp({
    config,
    redis,
    queue,
    history: new RunHistory(redis, keys, config.history.keepRuns),
    log,
  });
  ctx.shutdown.add('intake', 'web-http', () => app.close());
  ctx.shutdown.add('connections', 'web-redis', async () => {
    await queue.close();
    await redis.quit();
  });
  const address = await app.listen({ host: web.host, port: web.port });
  log.info({ address, publicUrl: publicUrlOf(web) }, 'web console listening');
};

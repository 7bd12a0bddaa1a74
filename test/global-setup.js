// Tests run against a real Redis: the one in REDIS_URL if given (only ever touched under
// per-test prefixes, never flushed), else a private redis-server started here and stopped
// in global-teardown.js. Plain JS through a scoped tsx loader (Jest's global setup bypasses
// its transform); the loader is unregistered so it does not keep Jest alive.
import { register } from 'tsx/esm/api';

export default async function globalSetup() {
  if (process.env.REDIS_URL !== undefined && process.env.REDIS_URL !== '') return;
  const tsx = register({ namespace: 'dtsync-global-setup' });
  try {
    const { startPrivateRedis } = await tsx.import('../src/infra/private-redis.ts', import.meta.url);
    const redis = await startPrivateRedis({
      allowInstall: process.env.DTSYNC_NO_INSTALL !== '1',
      notify: (line) => process.stderr.write(`${line}\n`),
    });
    globalThis.__dtsyncRedis = redis;
    process.env.REDIS_URL = redis.url;
  } finally {
    await tsx.unregister();
  }
}

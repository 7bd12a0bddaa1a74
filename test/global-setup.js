// Tests run against a real Redis: the one in REDIS_URL if given (only ever touched under
// per-test prefixes, never flushed), else a private redis-server started here and stopped
// in global-teardown.js. Plain JS through tsx: Jest's global setup bypasses its transform.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  if (process.env.REDIS_URL !== undefined && process.env.REDIS_URL !== '') return;
  const { startPrivateRedis } = await tsImport('../src/infra/private-redis.ts', import.meta.url);
  const redis = await startPrivateRedis({
    allowInstall: process.env.DTSYNC_NO_INSTALL !== '1',
    notify: (line) => process.stderr.write(`${line}\n`),
  });
  globalThis.__dtsyncRedis = redis;
  process.env.REDIS_URL = redis.url;
}

// Tests run against a real Redis: the one in REDIS_URL if given (only ever touched under
// per-test prefixes, never flushed), else a private redis-server started here and stopped
// in global-teardown.js. Plain JS through a scoped tsx loader (Jest's global setup bypasses
// its transform); the loader is unregistered so it does not keep Jest alive.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

/**
 * Processes the tests start (the CLI, workers) run bin/dtsync.js, which runs the compiled
 * dist/: build it first (incremental, so a no-op when nothing changed), so they never run
 * stale code. Type errors do not stop the build here: `npm run typecheck` reports them.
 */
function buildDist() {
  const script = fileURLToPath(new URL('../scripts/build.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, '--allow-type-errors'], { encoding: 'utf8' });
  if (!existsSync(new URL('../dist/src/cli/main.js', import.meta.url)))
    throw new Error(`could not build dist/ for the tests:\n${r.stdout}${r.stderr}`);
}

export default async function globalSetup() {
  buildDist();
  if (process.env.REDIS_URL !== undefined && process.env.REDIS_URL !== '') return;
  const tsx = register({ namespace: 'dtsync-global-setup' });
  try {
    const { startPrivateRedis } = await tsx.import('../sim/redis/private-redis.ts', import.meta.url);
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { locate, type InstallOptions } from './binaries.js';
import { baseArgs, spawnRedis } from './redis-process.js';

export { RedisSetupError } from './binaries.js';

/**
 * A private, throw-away redis-server for the test suite, `demo`, `simulate` and `bench`
 * (never for the service commands): a free loopback port, a temp dir, no persistence,
 * `noeviction`, stopped at exit. Only this module ever flushes or stops it.
 */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions extends InstallOptions {
  /** Listen on this port (a restart where its clients reconnect); default a free one. */
  readonly port?: number;
}

export function locateRedisServer(options: InstallOptions): string {
  return locate('redis-server', options);
}

export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  const bin = locateRedisServer(options);
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-redis-'));
  const port = options.port ?? (await freePort());
  const server = await spawnRedis(bin, baseArgs(port, dir), port).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  // one stop for every caller: a second caller waits for the same exit
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: server.pid,
    stop() {
      stopping ??= (async () => {
        await server.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

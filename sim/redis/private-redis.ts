import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../free-port.js';

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

export class RedisSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

export interface PrivateRedisOptions {
  /** Install Debian's redis-server with apt-get when missing and running as root. */
  readonly allowInstall: boolean;
  /** One-line notices (the install). */
  readonly notify: (line: string) => void;
  /** Listen on this port (a restart where its clients reconnect); default a free one. */
  readonly port?: number;
}

function findOnPath(bin: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, bin);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

function installRedis(notify: (line: string) => void): void {
  notify(
    "redis-server is not installed: installing Debian's redis-server with apt-get (DTSYNC_NO_INSTALL=1 turns this off)",
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'],
  ]) {
    const r = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) {
      const why = (r.stderr || r.error?.message || `exit ${String(r.status)}`).trim().split('\n').pop();
      throw new RedisSetupError(
        `apt-get ${args[0] ?? ''} failed while installing redis-server: ${why ?? ''}`,
      );
    }
  }
}

export function locateRedisServer(options: PrivateRedisOptions): string {
  const found = findOnPath('redis-server');
  if (found !== undefined) return found;
  const isRoot = process.getuid?.() === 0;
  if (options.allowInstall && isRoot && findOnPath('apt-get') !== undefined) {
    installRedis(options.notify);
    const installed = findOnPath('redis-server');
    if (installed !== undefined) return installed;
  }
  throw new RedisSetupError(
    'redis-server is not installed: install it (Debian: apt-get install redis-server) or set REDIS_URL to a Redis you run',
  );
}

async function waitForPing(url: string, child: ChildProcess, deadline: number): Promise<void> {
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new RedisSetupError(`redis-server exited at start (code ${child.exitCode})`);
    const probe = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      disconnectTimeout: 50,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      probe.disconnect();
    }
    await delay(50);
  }
  throw new RedisSetupError(`private redis-server did not answer PING: ${lastError}`);
}

export async function startPrivateRedis(options: PrivateRedisOptions): Promise<PrivateRedis> {
  const bin = locateRedisServer(options);
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-redis-'));
  const port = options.port ?? (await freePort());
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  const child = spawn(bin, args, { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitForPing(url, child, Date.now() + 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // one stop for every caller: a second caller waits for the same exit
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid ?? 0,
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode === null) {
          const exited = new Promise<void>((r) => child.once('exit', () => r()));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

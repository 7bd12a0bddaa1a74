import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisSetupError } from './binaries.js';

/** One redis-server (or sentinel) process of a starter, on a loopback port. */
export interface RedisProcess {
  readonly port: number;
  readonly pid: number;
  /** Whether it has exited. */
  readonly exited: boolean;
  /** Sends the signal and waits for the exit (SIGKILL: a crash, as a test's failover needs). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Waits until the server on `port` answers PING (with `password` when it has one). */
async function waitForPing(
  port: number,
  password: string | undefined,
  exited: () => number | null,
  deadline: number,
): Promise<void> {
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    const code = exited();
    if (code !== null) throw new RedisSetupError(`a redis process exited at start (code ${code})`);
    const probe = new Redis({
      host: '127.0.0.1',
      port,
      ...(password === undefined ? {} : { password }),
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
  throw new RedisSetupError(`a private redis process did not answer PING: ${lastError}`);
}

/** Starts `bin args` and resolves once it answers on `port`; it is killed if this process exits. */
export async function spawnRedis(
  bin: string,
  args: readonly string[],
  port: number,
  password?: string,
): Promise<RedisProcess> {
  const child = spawn(bin, args, { stdio: 'ignore' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  try {
    await waitForPing(port, password, () => child.exitCode, Date.now() + 15_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    port,
    pid: child.pid ?? 0,
    get exited() {
      return child.exitCode !== null || child.signalCode !== null;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await gone;
    },
  };
}

/** Stops every process (SIGTERM, in parallel) and removes their directory. */
export async function stopAll(processes: readonly RedisProcess[], dir: string): Promise<void> {
  await Promise.all(processes.map((p) => p.kill('SIGTERM')));
  rmSync(dir, { recursive: true, force: true });
}

/** The arguments every private server shares: loopback, no persistence, BullMQ's eviction policy. */
export function baseArgs(port: number, dir: string): string[] {
  return [
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
}

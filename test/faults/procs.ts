import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { locateRedisServer } from '../../sim/redis/private-redis.js';
import type { RunReport } from '../../src/report/types.js';
import { DTSYNC, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { until } from '../helpers/service.js';
import { testKeyPair } from '../helpers/sims.js';
import type { Cell } from './cell.js';
import { freePort } from '../../sim/free-port.js';

/** The web password planted in every process cell's config: the secrets search looks for it. */
export const WEB_PASSWORD = 'web-Passw0rd-planted-4711';

/**
 * Lock lease of a cell whose worker is killed: short, so another worker takes the run over soon.
 * A live worker renews its leases (BullMQ's at half the lease, the profile lock a second before it
 * ends); one stalled past a renewal on a loaded machine loses its run, aborted with its in-flight
 * writes still landing. With 2 s that was one chance a second; a cell that kills no worker keeps
 * the default 30 s.
 */
export const KILLED_WORKER_LOCK_SECONDS = 5;

/** A config file for the cell's profile `acme` (locks of `lockSeconds`, 30 s unless a cell kills a worker). */
export function writeFaultConfig(
  cell: Cell,
  o: {
    sync?: Record<string, unknown>;
    lockSeconds?: number;
    shutdownSeconds?: number;
    pdsQps?: number;
    backoffSeconds?: number;
  } = {},
): string {
  const { env } = cell;
  const tmp = tempDir('dtsync-fault-');
  cell.onClose(() => Promise.resolve(tmp.cleanup()));
  const keyFile = tmp.write('pds.pem', testKeyPair().privateKeyPem);
  const config = {
    redis: { prefix: env.prefix },
    web: { auth: { username: 'admin', password: WEB_PASSWORD } },
    worker: {
      concurrency: 1,
      lockSeconds: o.lockSeconds ?? 30,
      shutdownTimeoutSeconds: o.shutdownSeconds ?? 3,
    },
    log: { level: 'info' },
    ...(o.backoffSeconds === undefined ? {} : { runs: { backoffSeconds: o.backoffSeconds } }),
    profiles: [
      {
        id: 'acme',
        dingtalk: {
          appKey: env.dingtalk.appKey,
          appSecret: '${SIM_APP_SECRET}',
          oapiBaseUrl: env.dingtalk.url,
          apiBaseUrl: env.dingtalk.url,
          qps: 500,
        },
        pds: {
          domainId: env.pds.domainId,
          baseUrl: env.pds.url,
          clientId: env.pds.clientId,
          privateKeyFile: keyFile,
          qps: o.pdsQps ?? 1000,
        },
        sync: { ...o.sync },
      },
    ],
  };
  return tmp.write('dtsync.yaml', stringify(config));
}

export interface Proc {
  readonly proc: ChildProcess;
  readonly stdout: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A `dtsync` (or fixture) process whose every output line lands in the cell's log. */
export function spawnProc(cell: Cell, args: readonly string[], env: NodeJS.ProcessEnv, label: string): Proc {
  const proc = spawn(process.execPath, [...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const lines = createInterface({ input: proc.stderr });
  lines.on('line', (l) => cell.logs.push(`${label}: ${l}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('close', (code, signal) => {
      for (const l of out.split('\n')) if (l !== '') cell.logs.push(`${label} stdout: ${l}`);
      resolve({ code, signal });
    }),
  );
  cell.onClose(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
  });
  return { proc, stdout: () => out, exited };
}

export function childEnv(cell: Cell, redisUrl: string): NodeJS.ProcessEnv {
  return { REDIS_URL: redisUrl, SIM_APP_SECRET: cell.env.dingtalk.appSecret };
}

export function spawnWorker(cell: Cell, config: string, redisUrl: string, label = 'worker'): Proc {
  return spawnProc(cell, [DTSYNC, 'worker', '--config', config], childEnv(cell, redisUrl), label);
}

/** `dtsync sync acme --wait --json`: its exit code and the report it printed. */
export async function cliSync(
  cell: Cell,
  config: string,
  redisUrl: string,
  o: { deadlineMs?: number; label?: string } = {},
): Promise<{ code: number | null; report: RunReport | undefined; hung: boolean; stderr: string }> {
  const before = cell.logs.length;
  const p = spawnProc(
    cell,
    [DTSYNC, 'sync', 'acme', '--wait', '--json', '--config', config],
    childEnv(cell, redisUrl),
    o.label ?? 'cli',
  );
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    p.proc.kill('SIGKILL');
  }, o.deadlineMs ?? 120_000);
  const { code } = await p.exited;
  clearTimeout(timer);
  let report: RunReport | undefined;
  try {
    report = JSON.parse(p.stdout()) as RunReport;
  } catch {
    report = undefined;
  }
  const stderr = cell.logs
    .slice(before)
    .filter((l) => l.startsWith(`${o.label ?? 'cli'}: `))
    .join('\n');
  return { code, report, hung, stderr };
}

/** Waits for `what` on a condition, checked every 10 ms. */
export const waitFor = (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) =>
  until(check, what, timeoutMs, 10);

/** A redis-server of one cell's own, which the cell may crash and restart, with or without AOF. */
export class OwnRedis {
  #proc: ChildProcess | undefined;
  readonly #dir = mkdtempSync(join(tmpdir(), 'dtsync-fault-redis-'));

  private constructor(
    readonly port: number,
    readonly aof: boolean,
  ) {}

  static async start(cell: Cell, aof: boolean): Promise<OwnRedis> {
    const r = new OwnRedis(await freePort(), aof);
    cell.onClose(() => r.stop());
    await r.#spawn();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async #spawn(): Promise<void> {
    const bin = locateRedisServer({ allowInstall: false, notify: () => undefined });
    const args = ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--dir', this.#dir];
    args.push('--maxmemory-policy', 'noeviction', '--loglevel', 'warning');
    args.push('--appendonly', this.aof ? 'yes' : 'no', '--appendfsync', 'always');
    this.#proc = spawn(bin, args, { stdio: 'ignore' });
    await until(async () => this.#ping(), `redis-server on ${this.port}`, 15_000, 20);
  }

  async #ping(): Promise<boolean> {
    const probe = new Redis(this.url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      // with AOF, the data is back only once loading ends
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  /** A crash (SIGKILL) and a start on the same port and directory: what AOF kept comes back. */
  async restart(): Promise<void> {
    await this.#kill();
    await this.#spawn();
  }

  async #kill(): Promise<void> {
    const p = this.#proc;
    if (p === undefined || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.#kill();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

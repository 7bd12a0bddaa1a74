import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { redisTargetOf } from '../../src/config/redis-target.js';
import { createLogger } from '../../src/process/logger.js';
import { Shutdown } from '../../src/process/shutdown.js';
import { startSyncWorker } from '../../workers/sync.js';
import { DTSYNC, ROOT } from './cli.js';
import { tempDir } from './files.js';
import { testKeyPair, type SimEnv } from './sims.js';

export interface ServiceConfigOptions {
  readonly sync?: Record<string, unknown>;
  readonly dingtalk?: Record<string, unknown>;
  readonly lockSeconds?: number;
  readonly keepRuns?: number;
  /** The config's `locale` (default zh-CN). */
  readonly locale?: 'zh-CN' | 'en';
  readonly concurrency?: number;
  readonly pdsQps?: number;
  /** The config's `wait` section (how `--wait` notices a lost run or Redis). */
  readonly wait?: { readonly checkSeconds?: number; readonly redisLossSeconds?: number };
  /** The config's `runs` section (attempts and back-off of a failed run). */
  readonly runs?: { readonly attempts?: number; readonly backoffSeconds?: number };
  /** The `web:` section (the web role's tests). */
  readonly web?: Record<string, unknown>;
  /** Top-level sections merged into the config (e.g. `notify`). */
  readonly top?: Record<string, unknown>;
  /** Keys merged into the profile (e.g. a profile's own `notify`). */
  readonly profile?: Record<string, unknown>;
}

/** A real config file for one profile `acme` on the simulators, with its key file beside it. */
export function writeServiceConfig(
  env: SimEnv,
  o: ServiceConfigOptions = {},
): { path: string; cleanup: () => void } {
  const tmp = tempDir('dtsync-svc-');
  const keyFile = tmp.write('pds.pem', testKeyPair().privateKeyPem);
  const config = {
    redis: { prefix: env.prefix },
    ...(o.web === undefined ? {} : { web: o.web }),
    worker: { concurrency: o.concurrency ?? 2, lockSeconds: o.lockSeconds ?? 30, shutdownTimeoutSeconds: 5 },
    history: { keepRuns: o.keepRuns ?? 100 },
    ...(o.wait === undefined ? {} : { wait: o.wait }),
    ...(o.runs === undefined ? {} : { runs: o.runs }),
    ...(o.locale === undefined ? {} : { locale: o.locale }),
    log: { level: 'warn' },
    profiles: [
      {
        id: 'acme',
        dingtalk: {
          appKey: env.dingtalk.appKey,
          appSecret: '${SIM_APP_SECRET}',
          oapiBaseUrl: env.dingtalk.url,
          apiBaseUrl: env.dingtalk.url,
          qps: 500,
          ...o.dingtalk,
        },
        pds: {
          domainId: env.pds.domainId,
          baseUrl: env.pds.url,
          clientId: env.pds.clientId,
          privateKeyFile: keyFile,
          qps: o.pdsQps ?? 1000,
        },
        sync: { ...o.sync },
        ...o.profile,
      },
    ],
    ...o.top,
  };
  const path = tmp.write('dtsync.yaml', stringify(config));
  return { path, cleanup: tmp.cleanup };
}

/** Environment for CLI and worker processes on the test Redis and simulators. */
export function serviceEnv(env: SimEnv): NodeJS.ProcessEnv {
  // English output, so tests read the words they assert on; zh-CN (the default) has its own tests
  return {
    REDIS_URL: process.env.REDIS_URL,
    SIM_APP_SECRET: env.dingtalk.appSecret,
    LOG_LEVEL: 'warn',
    DTSYNC_LANG: 'en',
  };
}

/** A sync worker in this process (a real BullMQ Worker), closed by the returned function. */
export async function startWorkerHere(
  env: SimEnv,
  configPath: string,
  redisUrl = process.env.REDIS_URL ?? '',
): Promise<() => Promise<void>> {
  const loaded = loadConfig({
    path: configPath,
    env: { ...process.env, ...serviceEnv(env), REDIS_URL: redisUrl },
  });
  const log = createLogger({ level: 'silent', destination: process.stderr });
  const shutdown = new Shutdown(log, 30_000);
  await startSyncWorker({
    loaded,
    configPath,
    redis: redisTargetOf(loaded.config, { REDIS_URL: redisUrl }),
    log,
    shutdown,
  });
  return () => shutdown.run('test done');
}

/** Stops the processes a test started (emptying the list) and waits for each to exit. */
export async function stopChildren(
  children: ChildProcess[],
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  }
}

/** `dtsync worker` in its own process (its environment: serviceEnv unless another is given). */
export function spawnWorker(env: SimEnv, configPath: string, processEnv = serviceEnv(env)): ChildProcess {
  return spawn(process.execPath, [DTSYNC, 'worker', '--config', configPath], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...processEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Resolves when `check()` holds, checking every `everyMs` (a condition, not a fixed sleep). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(everyMs);
  }
}

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { producerConnection } from '../../src/redis/connections.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import type { BenchParams } from '../args.js';
import { dtsync, type Proc } from '../procs.js';
import { postJson } from '../setup.js';
import { measurePhase, type TenantPhaseResult } from './measure.js';
import { replayHour } from './phase.js';
import { redisMemory, type RedisMemory } from './redis-memory.js';
import { setUpTenants } from './setup.js';

/** What Redis holds for the deployment, read on a connection of its own. */
async function redisMemoryOf(redisUrl: string, prefix: string): Promise<RedisMemory> {
  const plain = new Redis(redisUrl);
  try {
    return await redisMemory(plain, prefix);
  } finally {
    plain.disconnect();
  }
}

/**
 * `npm run bench -- --profiles K` (K > 1): a deployment of K tenants. Groups of
 * `--profiles-per-app` profiles share one DingTalk app (a group company), each syncing its own
 * subsidiary of `--users` people into its own PDS domain; every app lives in one DingTalk
 * simulator host, every domain in one PDS simulator host. All are scheduled daily at one hour,
 * and each phase (initial, noop, churn) replays one such hour on `--workers` worker processes.
 * Exits 1 when a phase is not correct or the no-op phase wrote anything.
 */
export async function runTenantsBench(
  p: BenchParams,
  redisUrl: string,
  redisPid: number | undefined,
  log: (s: string) => void,
): Promise<number> {
  // an hour away from now, so no real slot of the config falls inside the bench
  const hour = (new Date().getUTCHours() + 12) % 24;
  const b = await setUpTenants(p, redisUrl, hour, log);
  const conn = producerConnection(redisUrl);
  const queue = openSyncQueue(conn, b.prefix);
  // one wait per run listens for the queue's closing: a thousand at once is the bench's own doing
  queue.setMaxListeners(p.profiles + 10);
  const history = new RunHistory(conn, new StateKeys(b.prefix), 20);
  const config = loadConfig({ path: b.configPath, env: { ...process.env, ...b.workerEnv } }).config;
  const deps = { queue, history, redisUrl, redisPid, log };
  const phases: Record<string, TenantPhaseResult> = {};
  const memory: Record<string, RedisMemory> = {};
  let workers: Proc[] = [];
  try {
    const env = { REDIS_URL: redisUrl, LOG_LEVEL: 'info', ...b.workerEnv };
    const started = Array.from({ length: p.workers }, () =>
      dtsync(['worker', '--config', b.configPath], env, /sync worker ready/, p.workerNodeFlags),
    );
    workers = started.map((w) => w.proc);
    await Promise.all(started.map((w) => w.ready));
    log(`${workers.length} worker process(es) ready for ${config.profiles.length} profiles`);
    const phase = async (name: string, day: number) => {
      const replay = await replayHour(b, config, day, workers, deps);
      phases[name] = await measurePhase(name, b, p, replay);
      const r = phases[name];
      // after each phase, so a bench stopped part-way has still measured what it reached
      memory[name] = await redisMemoryOf(redisUrl, b.prefix);
      log(
        `${name}: ${r.wallSeconds} s (floor ${r.floorSeconds} s, ratio ${r.ratioToFloor}); busiest minute ${r.starts.busiestMinute} starts (average ${r.starts.averagePerMinute}); busiest app second ${r.dingtalk.busiestAppSecond}/${p.dingtalkQps}; ${r.pds.writes} PDS writes; run p50/p95 ${r.runSeconds.p50}/${r.runSeconds.p95} s, start lag p95 ${r.starts.lagSeconds.p95} s; Redis ${memory[name]?.usedMemoryMB} MB; ${r.correct ? 'correct' : 'NOT correct'}`,
      );
    };
    await phase('initial', 0);
    await phase('noop', 1);
    let hired = 0;
    for (const a of b.dingtalk.apps) {
      const churn = await postJson<{ hired: string[] }>(`${a.url}/_sim/org`, {
        op: 'churn',
        percent: p.churn,
        seed: p.seed,
      });
      hired += churn.hired.length;
    }
    log(`churn: ${p.churn} % in each of ${b.dingtalk.apps.length} app(s), ${hired} hired`);
    await phase('churn', 2);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    conn.disconnect();
    await b.stop();
  }
  const result = {
    params: { ...p, out: undefined },
    layout: {
      profiles: b.tenants.length,
      apps: b.dingtalk.apps.length,
      profilesPerApp: p.profilesPerApp,
      peoplePerProfile: p.users,
      spreadMinutes: config.scheduler.spreadMinutes,
      workerConcurrency: config.worker.concurrency,
    },
    machine: { cores: cpus().length, node: process.version, date: new Date().toISOString() },
    phases,
    redisMemory: memory,
    correct: Object.values(phases).every((x) => x.correct),
  };
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(`${text}\n`);
  if (p.out !== undefined) writeFileSync(p.out, `${text}\n`);
  return result.correct && phases.noop?.pds.writes === 0 ? 0 : 1;
}

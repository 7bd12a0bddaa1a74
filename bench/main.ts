// `npm run bench -- [options]`: the benchmark of README "Performance". Starts a private Redis, the
// simulators and the workers in their own processes; prints one JSON document (stdout and --out).
// Exits 1 when the result is not correct or the no-op phase wrote anything (never on timing).
import { writeFileSync } from 'node:fs';
import { readEnv } from '../src/config/env.js';
import { startPrivateRedis } from '../sim/redis/private-redis.js';
import { producerConnection } from '../src/redis/connections.js';
import { openSyncQueue } from '../src/queue/queue.js';
import { RunHistory } from '../src/state/history.js';
import { StateKeys } from '../src/state/keys.js';
import { parseBenchArgs } from './args.js';
import { childPids, stopChildrenOnSignal, stoppingBySignal } from './procs.js';
import { postJson, setUp } from './setup.js';
import { stallPeriodically } from './stall.js';
import { runPhase, startWorkers, type PhaseResult } from './phase.js';
import { judgeTargets } from './targets.js';
import { runTenantsBench } from './tenants/main.js';

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function main(): Promise<number> {
  const params = parseBenchArgs(process.argv.slice(2));
  const env = readEnv();
  const redis =
    env.REDIS_URL === undefined
      ? await startPrivateRedis({ allowInstall: !env.DTSYNC_NO_INSTALL, notify: log })
      : undefined;
  const redisUrl = redis?.url ?? env.REDIS_URL ?? '';
  stopChildrenOnSignal(log, async () => {
    await redis?.stop();
  });
  if (params.profiles > 1 && !params.sharedOrg) {
    try {
      return await runTenantsBench(params, redisUrl, redis?.pid, log);
    } finally {
      await redis?.stop();
    }
  }
  const bench = await setUp(params, redisUrl, log);
  const conn = producerConnection(redisUrl);
  const queue = openSyncQueue(conn, bench.prefix);
  const history = new RunHistory(conn, new StateKeys(bench.prefix), 20);
  const deps = { queue, history, redisUrl, log, redisPid: redis?.pid };
  const phases: Record<string, PhaseResult> = {};
  const workers = await startWorkers(bench, params, redisUrl);
  log(
    `${workers.length} worker process(es) ready; child pids ${childPids().join(' ')}; redis ${redis?.pid ?? 'external'}`,
  );
  const stall = stallPeriodically(bench.dingtalk.proc.child.pid, params.stallDingtalk);
  if (params.stallDingtalk > 0)
    log(
      `the DingTalk simulator is stopped for ${params.stallDingtalk} ms every two seconds (--stall-dingtalk)`,
    );
  try {
    log(`safety limits: ${JSON.stringify(bench.safety)}`);
    phases.initial = await runPhase('initial', bench, params, deps, workers);
    phases.noop = await runPhase('noop', bench, params, deps, workers);
    const churn = await postJson<{ hired: string[]; left: string[]; renamed: string[]; moved: string[] }>(
      `${bench.dingtalk.url}/_sim/org`,
      {
        op: 'churn',
        percent: params.churn,
        seed: params.seed,
      },
    );
    log(
      `churn: ${churn.hired.length} hired, ${churn.left.length} left, ${churn.renamed.length} renamed, ${churn.moved.length} moved`,
    );
    phases.churn = await runPhase('churn', bench, params, deps, workers);
  } finally {
    stall.stop();
    await Promise.all(workers.map((w) => w.stop()));
    await queue.close();
    conn.disconnect();
    await bench.stop();
    await redis?.stop();
  }
  const violations = Object.values(phases).flatMap((p) => p.violations);
  const result = {
    params: { ...params, out: undefined },
    safety: bench.safety,
    machine: {
      cores: (await import('node:os')).cpus().length,
      node: process.version,
      date: new Date().toISOString(),
    },
    phases,
    correct: Object.values(phases).every((p) => p.correct),
    violations,
    targets: judgeTargets(phases, params.dingtalkQps),
  };
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(`${text}\n`);
  if (params.out !== undefined) writeFileSync(params.out, `${text}\n`);
  return result.correct && (phases.noop?.pdsWrites ?? 1) === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (err) {
  // a signal's stop exits with the signal's code once every child is gone
  await stoppingBySignal();
  throw err;
}

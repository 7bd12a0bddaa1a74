import { QueueEvents } from 'bullmq';
import { workerConnection } from '../src/redis/connections.js';
import { enqueueManual } from '../src/queue/enqueue.js';
import { SYNC_QUEUE } from '../src/queue/jobs.js';
import type { SyncQueue } from '../src/queue/queue.js';
import type { RunSummary } from '../src/report/summary.js';
import type { RunCounts, RunReport } from '../src/report/types.js';
import { zeroCounts } from '../src/report/types.js';
import type { RunHistory } from '../src/state/history.js';
import type { BenchParams } from './args.js';
import { checkDomain, type Domain, type Org } from './independent-check.js';
import {
  dingtalkMinimalCalls,
  dingtalkTokenCalls,
  floorSeconds,
  naiveStrategies,
  pdsDomainCounters,
  pdsMinimalWrites,
  sumCalls,
  type SimCounters,
} from './metrics.js';
import { cpuSeconds, dtsync, peakRssMB, resetPeakRss, type Proc } from './procs.js';
import { getJson, postJson, type Bench } from './setup.js';

export interface PhaseResult {
  wallSeconds: number;
  floorSeconds: number;
  ratioToFloor: number;
  dingtalkCalls: Record<string, number>;
  dingtalkMinimalCalls: number;
  /** Token calls among dingtalkCalls: a worker with a valid cached token makes none. */
  dingtalkTokenCalls: number;
  dingtalkThrottled: number;
  dingtalkBusiestSecond: Record<string, number>;
  pdsCalls: Record<string, number>;
  pdsWrites: number;
  pdsMinimalWrites: number;
  pdsRetriedWrites: number;
  pdsThrottled: number;
  pdsBusiestSecond: number;
  workerPeakRssMB: number;
  simulatorPeakRssMB: number;
  planMs: number;
  /** The naive strategies' cost from the same counters (see metrics.naiveStrategies). */
  naive: ReturnType<typeof naiveStrategies>;
  /** CPU seconds each kind of process used during the phase (2 cores are shared by all). */
  cpuSeconds: { workers: number; dingtalkSim: number; pdsSims: number; redis: number };
  /** Where each run's time went (ms), from the run reports. */
  runTimings: (RunReport['timings'] | undefined)[];
  status: string;
  counts: RunCounts;
  correct: boolean;
  violations: string[];
}

export interface PhaseDeps {
  /** pid of the private redis-server, when the bench started one. */
  readonly redisPid: number | undefined;
  readonly queue: SyncQueue;
  readonly history: RunHistory;
  readonly redisUrl: string;
  readonly log: (s: string) => void;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function addCounts(reports: readonly RunSummary[]): RunCounts {
  const c = zeroCounts();
  for (const r of reports) for (const k of Object.keys(c) as (keyof RunCounts)[]) c[k] += r.counts[k];
  return c;
}

/** Worker processes for the whole bench: long-lived and warm, as in production. */
export async function startWorkers(b: Bench, p: BenchParams, redisUrl: string): Promise<Proc[]> {
  const env = { REDIS_URL: redisUrl, BENCH_APP_SECRET: b.dingtalk.appSecret, LOG_LEVEL: 'info' };
  const workers = Array.from({ length: p.workers }, () =>
    dtsync(['worker', '--config', b.configPath], env, /sync worker ready/, p.workerNodeFlags),
  );
  await Promise.all(workers.map((w) => w.ready));
  return workers.map((w) => w.proc);
}

/** Runs one phase: fresh worker processes, one run per profile, then the simulators' counters. */
export async function runPhase(
  name: string,
  b: Bench,
  p: BenchParams,
  d: PhaseDeps,
  workers: readonly Proc[],
): Promise<PhaseResult> {
  // the last phase's state dumps left garbage in the simulators: collect it before the clock starts
  for (const url of [b.dingtalk.url, ...b.pds.map((s) => s.url)]) {
    await postJson(`${url}/_sim/gc`, {});
    await postJson(`${url}/_sim/counters/reset`, {});
  }
  for (const pid of [
    ...workers.map((w) => w.child.pid),
    b.dingtalk.proc.child.pid,
    ...b.pds.map((s) => s.proc.child.pid),
  ])
    resetPeakRss(pid);
  const eventsConnection = workerConnection(d.redisUrl);
  const events = new QueueEvents(SYNC_QUEUE, { connection: eventsConnection, prefix: b.prefix });
  await events.waitUntilReady();
  d.log(`${name}: starting ${p.profiles} run(s) on ${workers.length} worker process(es)`);
  const cpu = () => ({
    workers: workers.reduce((a, w) => a + cpuSeconds(w.child.pid), 0),
    dingtalkSim: cpuSeconds(b.dingtalk.proc.child.pid),
    pdsSims: b.pds.reduce((a, s) => a + cpuSeconds(s.proc.child.pid), 0),
    redis: cpuSeconds(d.redisPid),
  });
  const cpu0 = cpu();
  const t0 = performance.now();
  const runs = await Promise.all(
    b.pds.map((_, i) => enqueueManual(d.queue, `bench${i + 1}`, { dryRun: false, deep: false })),
  );
  await Promise.all(
    runs.map(async ({ runId }) => {
      const job = await d.queue.getJob(runId);
      await job?.waitUntilFinished(events).catch(() => undefined);
    }),
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu1 = cpu();
  await events.close();
  eventsConnection.disconnect(); // BullMQ leaves a connection it was given open
  const reports = (await Promise.all(runs.map((r) => d.history.get(r.runId)))).filter(
    (r): r is RunSummary => r !== undefined,
  );
  const dt = await getJson<SimCounters>(`${b.dingtalk.url}/_sim/counters`);
  const pdsCounters = await Promise.all(b.pds.map((s) => getJson<SimCounters>(`${s.url}/_sim/counters`)));
  const workerPeakRssMB = Math.max(0, ...workers.map((w) => peakRssMB(w.child.pid)));
  const simulatorPeakRssMB = Math.max(
    peakRssMB(b.dingtalk.proc.child.pid),
    ...b.pds.map((s) => peakRssMB(s.proc.child.pid)),
  );
  const domains = pdsCounters.map(pdsDomainCounters);
  const floor = floorSeconds(dt, p.dingtalkQps, domains, p.pdsQps);
  const org = await getJson<Org>(`${b.dingtalk.url}/_sim/org`);
  const violations: string[] = [];
  for (const [i, s] of b.pds.entries()) {
    const state = await getJson<Domain>(`${s.url}/_sim/state`);
    const check = {
      profileId: `bench${i + 1}`,
      syncPhone: true,
      syncEmail: true,
      emailField: 'email',
      dingIdentity: 'unionid',
      seeded: s.seeded,
    } as const;
    violations.push(...checkDomain(org, state, check).map((v) => `${name}/bench${i + 1}: ${v}`));
    const deletes =
      (pdsCounters[i]?.calls['/v2/user/delete'] ?? 0) + (pdsCounters[i]?.calls['/v2/group/delete'] ?? 0);
    if (deletes > 0) violations.push(`${name}/bench${i + 1}: ${deletes} delete calls`);
  }
  if (reports.length !== runs.length)
    violations.push(`${name}: ${runs.length - reports.length} run(s) left no report`);
  const statuses = new Set(reports.map((r) => r.status));
  const pdsCalls: Record<string, number> = {};
  for (const c of pdsCounters)
    for (const [k, v] of Object.entries(c.calls)) pdsCalls[k] = (pdsCalls[k] ?? 0) + v;
  const result: PhaseResult = {
    wallSeconds: round(wallSeconds),
    floorSeconds: round(floor),
    ratioToFloor: floor > 0 ? round(wallSeconds / floor, 3) : 0,
    dingtalkCalls: dt.calls,
    dingtalkMinimalCalls: dingtalkMinimalCalls(org, runs.length, dingtalkTokenCalls(dt)),
    dingtalkTokenCalls: dingtalkTokenCalls(dt),
    dingtalkThrottled: sumCalls(dt.throttled),
    dingtalkBusiestSecond: dt.busiestSecondByPath,
    pdsCalls,
    pdsWrites: domains.reduce((a, x) => a + x.writes, 0),
    pdsMinimalWrites: pdsMinimalWrites(reports),
    pdsRetriedWrites: domains.reduce((a, x) => a + x.retriedWrites, 0),
    pdsThrottled: domains.reduce((a, x) => a + x.throttled, 0),
    pdsBusiestSecond: Math.max(0, ...pdsCounters.map((c) => c.busiestSecond)),
    workerPeakRssMB,
    simulatorPeakRssMB,
    planMs: Math.max(0, ...reports.map((r) => r.planMs ?? 0)),
    naive: naiveStrategies(dt, p.dingtalkQps, domains, p.pdsQps, org.users.length * runs.length),
    runTimings: reports.map((r) => r.timings),
    cpuSeconds: {
      workers: round(cpu1.workers - cpu0.workers),
      dingtalkSim: round(cpu1.dingtalkSim - cpu0.dingtalkSim),
      pdsSims: round(cpu1.pdsSims - cpu0.pdsSims),
      redis: round(cpu1.redis - cpu0.redis),
    },
    status: statuses.size === 1 ? ([...statuses][0] ?? 'unknown') : [...statuses].join(','),
    counts: addCounts(reports),
    correct: violations.length === 0 && statuses.size === 1 && statuses.has('succeeded'),
    violations,
  };
  d.log(
    `${name}: ${result.wallSeconds} s (floor ${result.floorSeconds} s, ratio ${result.ratioToFloor}), ${result.pdsWrites} PDS writes, worker peak ${workerPeakRssMB} MB, ${result.correct ? 'correct' : 'NOT correct'}`,
  );
  return result;
}

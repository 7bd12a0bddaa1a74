import { runDataOf } from '../../src/queue/jobs.js';
import { producerConnection } from '../../src/redis/connections.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { storedReport } from '../../src/cli/report-json.js';
import type { SlotEnqueued } from '../../src/scheduler/enqueue-slot.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { dropPrefix, testRedisUrl } from '../helpers/redis.js';
import { HAND_MADE_PHONE, type Cell, type Convergence, type Observed } from './cell.js';
import {
  cliSync,
  KILLED_WORKER_LOCK_SECONDS,
  OwnRedis,
  spawnProc,
  spawnWorker,
  waitFor,
  writeFaultConfig,
} from './procs.js';

/**
 * The cells of the process row (process.test.ts): each starts real worker, CLI and scheduler
 * processes on its own simulators and Redis prefix, puts its fault in, and converges through
 * the CLI.
 */

export type Cli = Awaited<ReturnType<typeof cliSync>>;

export interface ProcResult {
  readonly episode: Observed<{ cli: Cli; recoveryMs?: number; writesAtFault: number }>;
  readonly converge: Convergence;
  /** Exit codes of the convergence's two `sync --wait` runs. */
  readonly convergeCodes: (number | null)[];
  readonly extra: Record<string, unknown>;
}

const USER_LIST = '/topapi/v2/user/list';
const PDS_LIST = '/v2/user/list';

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const writesOf = (c: Cell) => sum(c.env.pds.control.counters().writes);
const createsOf = (c: Cell) => c.env.pds.control.counters().writes['/v2/user/create'] ?? 0;

/** Convergence through the real CLI and worker: two `sync --wait` runs. */
async function convergeByCli(c: Cell, cfg: string, url: string): Promise<[Convergence, (number | null)[]]> {
  const codes: (number | null)[] = [];
  const converge = await c.converge(undefined, async () => {
    const r = await cliSync(c, cfg, url, { label: 'cli-converge', deadlineMs: 90_000 });
    codes.push(r.code);
    if (r.report === undefined) throw new Error(`sync --wait printed no report (exit ${String(r.code)})`);
    return r.report;
  });
  return [converge, codes];
}

/** Extra hires, so that an apply lasts long enough to be hit in its middle. */
function hire(c: Cell, n: number): void {
  for (let i = 0; i < n; i++) c.env.dingtalk.control.mutate({ op: 'hire', dept_id_list: [1] });
}

/**
 * The ends of runs the worker logged, in order (run ids start again at 1 once Redis has lost
 * its data, so they are counted, not keyed).
 */
function runsLogged(c: Cell): string[] {
  return c.logs
    .filter((l) => /^worker[^:]*: .*"runId":".*"status":"/.test(l))
    .map((l) => /"status":"([a-z_]+)"/.exec(l)?.[1] ?? '?');
}

/** Which worker process logged the run's summary line with status succeeded. */
function finisher(c: Cell, runId: string | undefined): string[] {
  const mark = `"runId":"${runId ?? '?'}"`;
  const who = c.logs.filter(
    (l) => l.startsWith('worker-') && l.includes(mark) && l.includes('"status":"succeeded"'),
  );
  return [...new Set(who.map((l) => l.slice(0, l.indexOf(':'))))];
}

/** Kill (or stop) worker A at the moment `when` holds, let worker B recover the run. */
export function killCell(signal: 'SIGKILL' | 'SIGTERM', phase: 'source' | 'target' | 'apply') {
  return async (c: Cell): Promise<ProcResult> => {
    await c.prepare();
    if (phase === 'apply') hire(c, signal === 'SIGTERM' ? 60 : 30);
    const url = testRedisUrl();
    // at 64 calls a second the apply runs 8 writes at a time
    const lockSeconds = KILLED_WORKER_LOCK_SECONDS;
    // the cancelled run is retried after the back-off: 5 s, not the default 30 s, which on a
    // loaded machine left too little of the CLI's wait for the retried run itself
    const cfg = writeFaultConfig(
      c,
      signal === 'SIGTERM' ? { pdsQps: 64, lockSeconds, backoffSeconds: 5 } : { lockSeconds },
    );
    // a slow phase, so the kill lands inside it
    if (phase === 'source') c.env.dingtalk.control.setFaults({ latencyMs: 300, faultPaths: [USER_LIST] });
    if (phase === 'target') c.env.pds.control.setFaults({ latencyMs: 400 });
    // a SIGTERM'd worker waits shutdownTimeoutSeconds (3) for its run: this apply outlasts that
    if (phase === 'apply') c.env.pds.control.setFaults({ latencyMs: signal === 'SIGTERM' ? 400 : 25 });
    const a = spawnWorker(c, cfg, url, 'worker-a');
    const users0 = c.domain().users.length;
    const created0 = createsOf(c);
    const writes0 = writesOf(c);
    const episode = await c.observe(async () => {
      // a hang is a run that never ends: 5 minutes covers a kill, a restart and the whole
      // retried run beside the other cells on 2 loaded cores
      const cli = cliSync(c, cfg, url, { deadlineMs: 300_000 });
      if (phase === 'source')
        await waitFor(() => (c.env.dingtalk.control.counters().calls[USER_LIST] ?? 0) >= 2, 'the walk');
      if (phase === 'target')
        await waitFor(() => (c.env.pds.control.counters().calls[PDS_LIST] ?? 0) >= 1, 'the PDS listing');
      if (phase === 'apply') await waitFor(() => createsOf(c) - created0 >= 5, 'the first creates');
      const writesAtFault = writesOf(c) - writes0;
      a.proc.kill(signal);
      const faultAt = Date.now();
      const aExit = await a.exited;
      c.clearFaults();
      spawnWorker(c, cfg, url, 'worker-b');
      const out = await cli;
      return { cli: out, recoveryMs: Date.now() - faultAt, writesAtFault, aExit };
    });
    const [converge, convergeCodes] = await convergeByCli(c, cfg, url);
    return {
      episode,
      converge,
      convergeCodes,
      extra: {
        aExit: episode.result.aExit,
        createdInEpisode: c.domain().users.length - users0,
        finishedBy: finisher(c, episode.result.cli.report?.runId),
      },
    };
  };
}

/** Redis crashed and restarted mid-apply, with or without AOF. */
export function redisRestartCell(aof: boolean) {
  return async (c: Cell): Promise<ProcResult> => {
    const redis = await OwnRedis.start(c, aof);
    c.alsoSearch(redis.url);
    const cfg = writeFaultConfig(c);
    spawnWorker(c, cfg, redis.url, 'worker');
    const first = await cliSync(c, cfg, redis.url, { label: 'cli-first' });
    if (first.report?.status !== 'succeeded') throw new Error(`first sync: ${String(first.code)}`);
    c.churn(1);
    hire(c, 30);
    c.env.pds.control.setFaults({ latencyMs: 25 });
    const created0 = createsOf(c);
    const writes0 = writesOf(c);
    const episode = await c.observe(async () => {
      // --wait must end, with the run's outcome or a lost job's exit 7; how soon after the fault
      // (5 s for a lost job, 30 s of lost contact) is follow.test.ts's to time. A deadline from
      // this spawn also timed the run, which on a loaded machine outlasted 20 s.
      const cli = cliSync(c, cfg, redis.url);
      await waitFor(() => createsOf(c) - created0 >= 5, 'the first creates');
      const writesAtFault = writesOf(c) - writes0;
      await redis.restart();
      const faultAt = Date.now();
      c.clearFaults();
      const out = await cli;
      return { cli: out, recoveryMs: Date.now() - faultAt, writesAtFault };
    });
    const [converge, convergeCodes] = await convergeByCli(c, cfg, redis.url);
    c.clearFaults();
    return { episode, converge, convergeCodes, extra: { runsLogged: runsLogged(c) } };
  };
}

/** Redis wiped (every key of the prefix) between two runs. */
export async function wipedCell(c: Cell): Promise<ProcResult> {
  await c.prepare();
  const url = testRedisUrl();
  const cfg = writeFaultConfig(c);
  spawnWorker(c, cfg, url, 'worker');
  await dropPrefix(c.env.redis, c.env.prefix);
  const episode = await c.observe(async () => ({
    cli: await cliSync(c, cfg, url),
    writesAtFault: 0,
  }));
  const [converge, convergeCodes] = await convergeByCli(c, cfg, url);
  return { episode, converge, convergeCodes, extra: {} };
}

/** Two scheduler processes catch up the same slot at once while two workers wait for it. */
export async function racingCell(c: Cell): Promise<ProcResult> {
  await c.prepare();
  const url = testRedisUrl();
  const schedule = { mode: 'auto', frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'Europe/Berlin' };
  const cfg = writeFaultConfig(c, { sync: { schedule } });
  spawnWorker(c, cfg, url, 'worker-a');
  spawnWorker(c, cfg, url, 'worker-b');
  const history = new RunHistory(c.env.redis, new StateKeys(c.env.prefix), 100);
  const runsBefore = await c.env.redis.zcard(new StateKeys(c.env.prefix).runs('acme'));
  const episode = await c.observe(async () => {
    const env = {
      REDIS_URL: url,
      SIM_APP_SECRET: c.env.dingtalk.appSecret,
      SCHED_PREFIX: c.env.prefix,
      SCHED_NOW: '2026-07-15T04:00:00Z', // the 03:07 Berlin slot is 53 minutes old: caught up
      SCHED_MODE: 'start',
      SCHED_PROFILE: 'acme',
      SCHED_CONFIG: cfg,
    };
    const fixture = ['--import', 'tsx', 'test/fixtures/scheduler-child.ts'];
    const kids = [spawnProc(c, fixture, env, 'scheduler-1'), spawnProc(c, fixture, env, 'scheduler-2')];
    await waitFor(() => kids.every((k) => k.stdout().includes('ready')), 'both schedulers ready');
    await c.env.redis.publish(`${c.env.prefix}:go`, 'go');
    await Promise.all(kids.map((k) => k.exited));
    const results = kids.flatMap(
      (k) => JSON.parse(k.stdout().trim().split('\n').at(-1) ?? '[]') as SlotEnqueued[],
    );
    const runId = results[0]?.runId ?? '';
    await waitFor(async () => (await history.get(runId)) !== undefined, 'the slot run', 90_000);
    const summary = await history.get(runId);
    if (summary === undefined) throw new Error(`no run ${runId}`);
    const report = await storedReport(history, summary, { allChanges: false });
    return {
      cli: { code: null, report, hung: false, stderr: '' },
      writesAtFault: 0,
      results,
    };
  });
  const connection = producerConnection(url);
  const queue = openSyncQueue(connection, c.env.prefix);
  const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']);
  await queue.close();
  await connection.quit();
  const runsAfter = await c.env.redis.zcard(new StateKeys(c.env.prefix).runs('acme'));
  const [converge, convergeCodes] = await convergeByCli(c, cfg, url);
  return {
    episode,
    converge,
    convergeCodes,
    extra: {
      runIds: [...new Set(episode.result.results.map((r) => r.runId))],
      jobs: jobs.map((j) => runDataOf(j)?.slot),
      runs: runsAfter - runsBefore,
    },
  };
}

/** Outcomes as an operator sees them: `sync --wait --json`'s exit code, status and codes. */
export async function outcomesCell(c: Cell): Promise<ProcResult> {
  await c.prepare();
  const url = testRedisUrl();
  const cfg = writeFaultConfig(c);
  spawnWorker(c, cfg, url, 'worker');
  const seen = (r: Cli) => ({
    code: r.code,
    status: r.report?.status,
    error: r.report?.error?.code,
    failures: r.report?.failures.map((f) => f.code),
    stack: /\n\s+at /.test(r.stderr),
  });
  c.env.dingtalk.control.setFaults({ missingApiPermissions: ['qyapi_get_department_member'] });
  const permission = await c.observe(() => cliSync(c, cfg, url, { label: 'cli-60011' }));
  c.clearFaults();
  const hire = c.env.dingtalk.control.mutate({ op: 'hire', user: { mobile: HAND_MADE_PHONE } });
  const conflict = await c.observe(() => cliSync(c, cfg, url, { label: 'cli-conflict' }));
  const codes: (number | null)[] = [];
  const converge = await c.converge(
    (line) => hire.op === 'hire' && line === `dt_${hire.userid}: no mobile link`,
    async () => {
      const r = await cliSync(c, cfg, url, { label: 'cli-converge' });
      codes.push(r.code);
      if (r.report === undefined) throw new Error(`sync --wait printed no report (exit ${String(r.code)})`);
      return r.report;
    },
  );
  return {
    episode: { ...permission, result: { cli: permission.result, writesAtFault: permission.writes } },
    converge,
    convergeCodes: codes,
    extra: {
      permission: seen(permission.result),
      permissionWrites: permission.writes,
      conflict: seen(conflict.result),
      conflictViolations: conflict.violations,
    },
  };
}

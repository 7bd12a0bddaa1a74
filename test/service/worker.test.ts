import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import { producerConnection } from '../../src/redis/connections.js';
import { enqueueManual, enqueueScheduled } from '../../src/queue/enqueue.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { runCli } from '../helpers/cli.js';
import {
  serviceEnv,
  spawnWorker,
  startWorkerHere,
  until,
  writeServiceConfig,
  stopChildren,
} from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { CHECK } from '../helpers/check.js';

// each test awaits worker processes starting (seconds each on a loaded machine) and whole runs
// of a few hundred users, up to 90 s a wait: Jest's 60 s default cut the SIGKILL test short
jest.setTimeout(300_000);

let env: SimEnv | undefined;
let queue: SyncQueue | undefined;
const children: ChildProcess[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  await stopChildren(children);
  for (const f of cleanups.splice(0).reverse()) await f();
  await queue?.close();
  queue = undefined;
  await env?.close();
  env = undefined;
});

async function setup(name: string, users: number) {
  const e = (env = await startSims({ dingtalk: { orgSpec: { seed: 3, users, departments: 10 } }, name }));
  const conn = producerConnection(process.env.REDIS_URL ?? '');
  queue = openSyncQueue(conn, e.prefix);
  cleanups.push(() => conn.disconnect());
  const history = new RunHistory(e.redis, new StateKeys(e.prefix), 100);
  return { e, q: queue, history };
}

const finished = (h: RunHistory, runId: string) => async () => {
  const r = await h.get(runId);
  return r !== undefined && r.status !== 'failed';
};

describe('sync worker', () => {
  it('a worker process killed with SIGKILL after the first write and before the last is recovered by another worker, and the final PDS state is exact with no duplicate', async () => {
    const { e, q, history } = await setup('kill', 200);
    // a slow domain, so the run is still writing when it is killed. A short lease lets worker B
    // take over soon; at 2 s it is renewed every second, each time a chance for a stall on a
    // loaded machine to lose a live worker's run
    const cfg = writeServiceConfig(e, { lockSeconds: 5, concurrency: 1 });
    cleanups.push(cfg.cleanup);
    e.pds.control.setFaults({ latencyMs: 15 });
    const a = spawnWorker(e, cfg.path);
    children.push(a);
    const { runId } = await enqueueManual(q, 'acme', { dryRun: false, deep: false });
    await until(
      () => Object.values(e.pds.control.counters().writes).reduce((x, y) => x + y, 0) > 20,
      'the first writes',
    );
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    const writesAtKill = Object.values(e.pds.control.counters().writes).reduce((x, y) => x + y, 0);
    expect(await history.get(runId)).toBeUndefined(); // it had not finished
    e.pds.control.setFaults({ latencyMs: 0 });
    const b = spawnWorker(e, cfg.path);
    children.push(b);
    await until(finished(history, runId), 'the run to be finished by the second worker', 90_000, 100);
    const report = await history.get(runId);
    expect(report?.status).toBe('succeeded');
    expect(report?.counts.failed).toBe(0);
    const d = e.pds.control.state() as Domain;
    expect(checkDomain(structuredClone(e.dingtalk.control.org()) as Org, d, CHECK)).toEqual([]);
    expect(d.users).toHaveLength(200);
    expect(e.pds.control.counters().writes['/v2/group/create']).toBe(10); // no group made twice
    expect(writesAtKill).toBeLessThan(
      Object.values(e.pds.control.counters().writes).reduce((x, y) => x + y, 0),
    );
  });

  it('two worker processes never run one profile at once; a job for a busy profile waits, then runs', async () => {
    const { e, q, history } = await setup('lock', 150);
    const cfg = writeServiceConfig(e, { concurrency: 2 });
    cleanups.push(cfg.cleanup);
    children.push(spawnWorker(e, cfg.path), spawnWorker(e, cfg.path));
    e.pds.control.setFaults({ latencyMs: 5 });
    const jobs = await Promise.all([
      q.add('sync-run', { profileId: 'acme', trigger: 'manual', dryRun: false, deep: false }),
      q.add('sync-run', { profileId: 'acme', trigger: 'manual', dryRun: true, deep: false }),
      q.add('sync-run', {
        profileId: 'acme',
        trigger: 'schedule',
        dryRun: false,
        deep: false,
        slot: 'test',
      }),
    ]);
    const ids = jobs.map((j) => String(j.id));
    for (const id of ids) await until(finished(history, id), `run ${id}`, 90_000, 100);
    const reports = await Promise.all(ids.map((id) => history.get(id)));
    const spans = reports
      .map((r) => [Date.parse(r?.startedAt ?? ''), Date.parse(r?.finishedAt ?? '')] as const)
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    expect(reports.map((r) => r?.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('"sync now" during a scheduled run returns the running one', async () => {
    const { e, q } = await setup('now', 100);
    const cfg = writeServiceConfig(e, { pdsQps: 20 }); // slow enough to still run while we ask
    cleanups.push(cfg.cleanup);
    const scheduled = await enqueueScheduled(q, 'acme', '2026-11-30T03:07[Asia/Shanghai]', 24 * 3600_000);
    cleanups.push(await startWorkerHere(e, cfg.path));
    await until(
      async () => (await (await q.getJob(scheduled.runId))?.getState()) === 'active',
      'the scheduled run to start',
    );
    const r = await runCli(['sync', 'acme', '--config', cfg.path], serviceEnv(e));
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`${scheduled.runId} (a run of acme was already waiting or active)`);
    expect(await q.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
  });
});

import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import { producerConnection, workerConnection } from '../../src/redis/connections.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import type { PrivateSentinel } from '../../sim/redis/sentinel.js';
import { CHECK } from '../helpers/check.js';
import { dropPrefix, uniquePrefix } from '../helpers/redis.js';
import {
  REDIS_PASSWORD,
  SENTINEL_PASSWORD,
  sentinelSection,
  sentinelTarget,
  setupEnv,
  startTestSentinel,
} from '../helpers/redis-setups.js';
import { serviceEnv, spawnWorker, stopChildren, until, writeServiceConfig } from '../helpers/service.js';
import { startSims } from '../helpers/sims.js';

let sentinel: PrivateSentinel | undefined;
const children: ChildProcess[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  sentinel = await startTestSentinel();
});
afterEach(async () => {
  await stopChildren(children);
  for (const f of cleanups.splice(0).reverse()) await f();
});
afterAll(async () => {
  await sentinel?.stop();
});

const writes = (counts: Record<string, number>) => Object.values(counts).reduce((x, y) => x + y, 0);

it('a failover that keeps the old master alive, as a replica: the next write reaches the new master, not refused READONLY', async () => {
  const s = sentinel;
  if (s === undefined) throw new Error('no sentinel set');
  const prefix = uniquePrefix('failover');
  const redis = producerConnection(sentinelTarget(s));
  cleanups.push(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });
  await redis.set(`${prefix}:before`, '1');
  await s.failover(); // the client is still connected to the old master, now a replica
  await expect(redis.set(`${prefix}:after`, '2')).resolves.toBe('OK');
  expect(await redis.mget(`${prefix}:before`, `${prefix}:after`)).toEqual(['1', '2']);
});

it('a full sync runs on a real Sentinel set; its master killed mid-run, the run ends correct after the failover, retried at most once', async () => {
  const s = sentinel;
  if (s === undefined) throw new Error('no sentinel set');
  const env = await startSims({
    dingtalk: { orgSpec: { seed: 6, users: 200, departments: 10 } },
    name: 'sentinel',
  });
  cleanups.push(() => env.close());
  // short locks: a run whose locks the failover took notices soon, and is taken up again soon
  const cfg = writeServiceConfig(env, {
    top: { redis: sentinelSection(env.prefix, s) },
    lockSeconds: 5,
    runs: { backoffSeconds: 1 },
  });
  cleanups.push(cfg.cleanup);
  const worker = spawnWorker(env, cfg.path, { ...setupEnv(serviceEnv(env)), LOG_LEVEL: 'info' });
  children.push(worker);
  let log = '';
  worker.stderr?.on('data', (d: Buffer) => (log += d.toString()));

  const target = sentinelTarget(s);
  const conn = producerConnection(target);
  const queue = openSyncQueue(conn, env.prefix);
  queue.on('error', () => undefined);
  const state = workerConnection(target); // retries through the failover
  cleanups.push(async () => {
    await queue.close();
    conn.disconnect();
    state.disconnect();
  });
  const history = new RunHistory(state, new StateKeys(env.prefix), 100);
  // an attempt cut short stores a failed report until its retry replaces it
  const attempts: string[] = [];
  const ended = (runId: string) => async () => {
    const r = await history.get(runId);
    if (r?.status === 'failed' && !attempts.includes(JSON.stringify(r.error)))
      attempts.push(JSON.stringify(r.error));
    return r !== undefined && r.status !== 'failed';
  };

  env.pds.control.setFaults({ latencyMs: 15 }); // slow writes: the master dies while the run applies
  const { runId } = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
  await until(() => writes(env.pds.control.counters().writes) > 20, 'the run to write');
  await s.killMaster(); // resolves on the sentinels' +switch-master
  const writesAtKill = writes(env.pds.control.counters().writes);
  env.pds.control.setFaults({ latencyMs: 0 });
  await until(ended(runId), 'the run to end after the failover', 90_000, 100);

  expect((await history.get(runId))?.status).toBe('succeeded');
  const domain = env.pds.control.state() as Domain;
  expect(checkDomain(structuredClone(env.dingtalk.control.org()) as Org, domain, CHECK)).toEqual([]);
  expect(domain.users).toHaveLength(200);
  expect(env.pds.control.counters().writes['/v2/group/create']).toBe(10); // no group made twice
  expect(writesAtKill).toBeLessThan(writes(env.pds.control.counters().writes)); // it died mid-run
  const job = await queue.getJob(runId);
  expect(job?.attemptsStarted).toBeLessThanOrEqual(2); // at most the run retried

  // the service goes on on the promoted master: an unchanged organisation, no write
  const before = writes(env.pds.control.counters().writes);
  const again = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
  await until(ended(again.runId), 'a run on the new master', 60_000, 100);
  expect((await history.get(again.runId))?.status).toBe('succeeded');
  expect(writes(env.pds.control.counters().writes)).toBe(before);

  await stopChildren(children);
  expect(log).toContain(`"redis":"sentinel ${s.name}@127.0.0.1:${s.sentinels[0]?.port}`);
  for (const pw of [REDIS_PASSWORD, SENTINEL_PASSWORD]) expect(log).not.toContain(pw);
}, 120_000);

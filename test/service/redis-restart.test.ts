import { afterAll, expect, it } from '@jest/globals';
import type { PrivateRedis } from '../../sim/redis/private-redis.js';
import { producerConnection, workerConnection } from '../../src/redis/connections.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { ownRedis, restartEmpty } from '../helpers/redis.js';
import { startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { startSims } from '../helpers/sims.js';

const cleanups: (() => void | Promise<void>)[] = [];

afterAll(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const writes = (counts: Record<string, number>) => Object.values(counts).reduce((x, y) => x + y, 0);

it('a worker reconnects after its Redis restarts without its data mid-run, and goes on serving jobs', async () => {
  let redis: PrivateRedis = await ownRedis();
  cleanups.push(() => redis.stop());
  const env = await startSims({
    dingtalk: { orgSpec: { seed: 8, users: 200, departments: 5 } },
    name: 'restart',
  });
  cleanups.push(() => env.close());
  // a short profile lock: the run cut off by the restart notices within 2 s that it lost it
  const cfg = writeServiceConfig(env, { lockSeconds: 2 });
  cleanups.push(cfg.cleanup);
  const conn = producerConnection(redis.url);
  const state = workerConnection(redis.url);
  const queue = openSyncQueue(conn, env.prefix);
  queue.on('error', () => undefined);
  cleanups.push(async () => {
    await queue.close();
    conn.disconnect();
    state.disconnect();
  });
  cleanups.push(await startWorkerHere(env, cfg.path, redis.url));
  const history = new RunHistory(state, new StateKeys(env.prefix), 100);
  const succeeded = (runId: string) => async () => (await history.get(runId))?.status === 'succeeded';

  const first = await enqueueManual(queue, 'acme', { dryRun: true, deep: false });
  await until(succeeded(first.runId), 'a run before the restart');
  env.pds.control.setFaults({ latencyMs: 15 }); // slow writes: the next run is still writing when Redis goes
  const cut = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
  await until(() => writes(env.pds.control.counters().writes) > 0, 'the run to write');
  redis = await restartEmpty(redis);
  env.pds.control.setFaults({ latencyMs: 0 });
  expect(await history.get(first.runId)).toBeUndefined(); // nothing survived the restart
  // a dry run: it cannot race the cut-off run's last writes, and proves the worker serves jobs
  const after = await enqueueManual(queue, 'acme', { dryRun: true, deep: false });
  expect(after.runId).not.toBe(cut.runId);
  await until(succeeded(after.runId), 'a run queued after the restart');
});

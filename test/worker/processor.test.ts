import { afterEach, describe, expect, it } from '@jest/globals';
import { Worker } from 'bullmq';
import type { Config, Profile } from '../../src/config/schema.js';
import type { EngineDeps } from '../../src/engine/run-sync.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { producerConnection, workerConnection } from '../../src/redis/connections.js';
import type { PdsApi } from '../../src/pds/types.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { SYNC_QUEUE } from '../../src/queue/jobs.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { syncProcessor } from '../../src/worker/processor.js';
import { ProfileLock } from '../../src/worker/profile-lock.js';
import { buildConfig } from '../helpers/profile.js';
import { until } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** The PDS calls that change something. */
const WRITES = new Set<keyof PdsApi>([
  'createUser',
  'updateUser',
  'createGroup',
  'updateGroup',
  'addMember',
  'removeMember',
  'link',
  'unlink',
]);

const total = (counts: Record<string, number>) => Object.values(counts).reduce((x, y) => x + y, 0);

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * A real BullMQ Worker with the real processor and engine on the simulators; `wrap` sees each
 * run's engine deps (the seam the tests use to act on the lock while the run is underway).
 */
async function startWorker(
  env: SimEnv,
  lockSeconds: number,
  wrap: (deps: EngineDeps, signal: AbortSignal) => EngineDeps,
) {
  const base = buildConfig({
    redis: { prefix: env.prefix },
    worker: { lockSeconds },
    profiles: [
      {
        id: 'acme',
        dingtalk: { appKey: 'k', appSecret: 's' },
        pds: { domainId: 'd', clientId: 'c', privateKey: 'p' },
      },
    ],
  });
  const profile: Profile = env.profile();
  const config: Config = { ...base, profiles: [profile] };
  const keys = new StateKeys(env.prefix);
  const url = process.env.REDIS_URL ?? '';
  const bull = workerConnection(url);
  const state = workerConnection(url);
  const producer = producerConnection(url);
  const engineFor = engineFactory({
    keepRuns: 100,
    redis: state,
    keys,
    pacer: new RedisPacer(state, env.prefix),
    egress: new RedisEgressPause(state, env.prefix, 300),
    log: env.log,
  });
  const history = new RunHistory(state, keys, 100);
  const processor = syncProcessor({
    config: () => config,
    keys,
    lock: new ProfileLock(state, env.log),
    history,
    log: env.log,
    engineFor: (p, signal, onProgress) => wrap(engineFor(p, signal, onProgress), signal),
    check: () => Promise.reject(new Error('no check in this test')),
  });
  const worker = new Worker(SYNC_QUEUE, processor, { connection: bull, prefix: env.prefix, concurrency: 1 });
  worker.on('error', () => undefined);
  const queue = openSyncQueue(producer, env.prefix);
  cleanups.push(async () => {
    await worker.close(true);
    await queue.close();
    bull.disconnect();
    state.disconnect();
    producer.disconnect();
  });
  await worker.waitUntilReady();
  return { queue, history, lockKey: keys.profileLock('acme'), redis: state };
}

async function sims(name: string) {
  const env = await startSims({ dingtalk: { orgSpec: { seed: 12, users: 40, departments: 4 } }, name });
  cleanups.push(() => env.close());
  return env;
}

describe('sync processor and the profile lock', () => {
  it('no re-run after a lock-release error: a run whose lock vanished during it completes exactly once', async () => {
    const env = await sims('release');
    let routineRuns = 0;
    let lockKey = '';
    const w = await startWorker(env, 600, (deps) => ({
      ...deps,
      // the lock key vanishes while the run reads, as with a Redis restarted empty
      readSource: async (signal, onUser) => {
        routineRuns++;
        await env.redis.del(lockKey);
        return deps.readSource(signal, onUser);
      },
    }));
    lockKey = w.lockKey;
    const { runId } = await enqueueManual(w.queue, 'acme', { dryRun: false, deep: false });
    const job = await w.queue.getJob(runId);
    if (job === undefined) throw new Error('no job');
    let state = '';
    await until(async () => {
      state = await job.getState();
      return routineRuns > 0 && state !== 'active' && state !== 'waiting';
    }, 'the run to leave the active state');
    expect(state).toBe('completed');
    expect(routineRuns).toBe(1);
    expect((await w.history.get(runId))?.status).toBe('succeeded');
    expect(env.pds.control.state().users).toHaveLength(40);
    const logs = await w.queue.getJobLogs(runId);
    expect(logs.logs.filter((l) => l.startsWith('run started'))).toHaveLength(1);
  });

  it('a run whose lock is lost mid-run stops writing at once: no write reaches PDS after its signal aborts', async () => {
    const env = await sims('lost');
    let lockKey = '';
    let writesAtAbort: number | undefined;
    const w = await startWorker(env, 2, (deps, signal) => {
      let takenOver: Promise<unknown> | undefined;
      // every write waits until the lock is lost, then goes on: only the signal can stop it
      const gate = async () => {
        takenOver ??= env.redis.set(lockKey, 'another-holder', 'PX', 60_000);
        await takenOver;
        await aborted(signal);
        writesAtAbort ??= total(env.pds.control.counters().writes);
      };
      const pds = new Proxy(deps.pds, {
        get(target, prop, receiver) {
          const value: unknown = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          const fn = value as (...args: unknown[]) => unknown;
          if (!WRITES.has(prop as keyof PdsApi)) return fn.bind(target);
          return async (...args: unknown[]) => {
            await gate();
            return fn.apply(target, args);
          };
        },
      });
      return { ...deps, pds };
    });
    lockKey = w.lockKey;
    const { runId } = await enqueueManual(w.queue, 'acme', { dryRun: false, deep: false });
    await until(async () => (await w.history.get(runId)) !== undefined, 'the run to end');
    const report = await w.history.get(runId);
    expect(writesAtAbort).toBe(0);
    expect(total(env.pds.control.counters().writes)).toBe(0);
    expect(report?.status).toBe('failed');
    expect(await w.redis.get(lockKey)).toBe('another-holder');
  });
});

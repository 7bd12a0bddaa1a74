import { afterEach, describe, expect, it } from '@jest/globals';
import { Worker } from 'bullmq';
import type { Org } from '../../bench/independent-check.js';
import type { Config, Profile } from '../../src/config/schema.js';
import { MetricsWriter } from '../../src/metrics/metrics-writer.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { SYNC_QUEUE } from '../../src/queue/jobs.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { producerConnection, workerConnection } from '../../src/redis/connections.js';
import type { RunSummary } from '../../src/report/summary.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { inGrace } from '../../src/absence/grace.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { GraceRecheck } from '../../src/worker/grace-recheck.js';
import { syncProcessor } from '../../src/worker/processor.js';
import { ProfileLock } from '../../src/worker/profile-lock.js';
import { onRunEnded } from '../../src/worker/run-ended.js';
import { buildConfig } from '../helpers/profile.js';
import { until } from '../helpers/service.js';
import { startSims } from '../helpers/sims.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** The grace under test, in hours: a few seconds, so the delayed run comes within the test. */
const GRACE_S = 4;

/** A real worker (processor, engine, after-run listeners) on the simulators, as workers/sync.ts wires it. */
async function startWorker(
  profile: Profile,
  prefix: string,
  log: Parameters<typeof engineFactory>[0]['log'],
) {
  const base = buildConfig({
    redis: { prefix },
    profiles: [
      {
        id: 'acme',
        dingtalk: { appKey: 'k', appSecret: 's' },
        pds: { domainId: 'd', clientId: 'c', privateKey: 'p' },
      },
    ],
  });
  const config: Config = { ...base, profiles: [profile] };
  const keys = new StateKeys(prefix);
  const url = process.env.REDIS_URL ?? '';
  const bull = workerConnection(url);
  const state = workerConnection(url);
  const producer = producerConnection(url);
  const history = new RunHistory(state, keys, 100);
  const processor = syncProcessor({
    config: () => config,
    keys,
    lock: new ProfileLock(state, log),
    history,
    log,
    engineFor: engineFactory({
      keepRuns: 100,
      redis: state,
      keys,
      pacer: new RedisPacer(state, prefix),
      egress: new RedisEgressPause(state, prefix, 300),
      log,
    }),
    check: () => Promise.reject(new Error('no check in this test')),
  });
  const worker = new Worker(SYNC_QUEUE, processor, { connection: bull, prefix, concurrency: 1 });
  worker.on('error', () => undefined);
  const queue = openSyncQueue(producer, prefix);
  const metrics = new MetricsWriter(state, prefix, log);
  const drain = onRunEnded(worker, {
    history,
    metrics,
    listeners: [new GraceRecheck(queue, log)],
    log,
  });
  cleanups.push(async () => {
    await worker.close(true);
    await drain();
    await metrics.close();
    await queue.close();
    bull.disconnect();
    state.disconnect();
    producer.disconnect();
  });
  await worker.waitUntilReady();
  return { queue, history, redis: state, keys };
}

describe('a grace for the unexplained', () => {
  it('an unexplained absence is disabled only after the grace, by a delayed re-read, not the next scheduled run', async () => {
    const env = await startSims({
      dingtalk: { orgSpec: { seed: 28, users: 30, departments: 4, depth: 1 } },
      name: 'grace-recheck',
    });
    cleanups.push(() => env.close());
    const profile = env.profile({ sync: { safety: { absenceGraceHours: GRACE_S / 3600 } } });
    const w = await startWorker(profile, env.prefix, env.log);
    // the job, not only its report: a run's report is saved before its job completes
    const finished = async (runId: string): Promise<RunSummary> => {
      const job = await w.queue.getJob(runId);
      await until(async () => (await job?.getState()) === 'completed', `run ${runId} to complete`);
      const r = await w.history.get(runId);
      if (r === undefined) throw new Error(`no report of ${runId}`);
      return r;
    };
    const first = await enqueueManual(w.queue, 'acme', { dryRun: false, deep: false });
    expect((await finished(first.runId)).status).toBe('succeeded');
    const gone = (env.dingtalk.control.org() as Org).users[0]!.userid;
    env.dingtalk.control.mutate({ op: 'leave', userid: gone, record: false });
    const found = await enqueueManual(w.queue, 'acme', { dryRun: false, deep: false });
    const r = await finished(found.runId);
    const pdsUser = () => env.pds.control.state().users.find((u) => u.user_id === `dt_${gone}`);
    // found gone without a leave record: in grace, not disabled, listed with its end
    expect(pdsUser()?.status).toBe('enabled');
    expect(r.grace?.map((g) => g.userid)).toEqual([gone]);
    const listed = await inGrace(w.redis, w.keys, 'acme', GRACE_S / 3600, new Date(r.startedAt));
    expect(listed).toEqual([expect.objectContaining({ userid: gone, until: r.grace![0]!.until })]);
    // the re-read: a run of its own, queued by the run that found the absence, after the grace
    let recheck: RunSummary | undefined;
    await until(async () => {
      const runs = await w.history.list('acme', 10);
      recheck = runs.find((x) => x.trigger === 'grace');
      return recheck !== undefined;
    }, 'the grace re-read');
    expect(Date.parse(recheck!.startedAt)).toBeGreaterThanOrEqual(Date.parse(r.grace![0]!.until));
    expect(recheck!.status).toBe('succeeded');
    expect(recheck!.apiCalls.dingtalk['/topapi/v2/user/get']).toBe(1);
    expect(pdsUser()).toMatchObject({
      status: 'disabled',
      user_data: { dtsync_disabled_reason: 'unexplained' },
    });
    expect(await inGrace(w.redis, w.keys, 'acme', GRACE_S / 3600, new Date())).toEqual([]);
  });
});

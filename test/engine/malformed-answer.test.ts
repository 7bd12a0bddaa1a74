import { afterEach, describe, expect, it } from '@jest/globals';
import { Worker, type Job } from 'bullmq';
import { loadConfig } from '../../src/config/load.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { producerConnection, workerConnection } from '../../src/redis/connections.js';
import { SYNC_QUEUE, type JobData, type JobName, type JobResult } from '../../src/queue/jobs.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { syncProcessor } from '../../src/worker/processor.js';
import { ProfileLock } from '../../src/worker/profile-lock.js';
import { serviceEnv, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

const USER_LIST = '/topapi/v2/user/list';
const ORG = { orgSpec: { seed: 5, users: 60, departments: 6 } };

let env: SimEnv | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await env?.close();
  env = undefined;
});

const pdsWrites = (e: SimEnv) => Object.values(e.pds.control.counters().writes).reduce((x, y) => x + y, 0);

describe('a malformed DingTalk answer', () => {
  it('that clears on the next try is retried and the run succeeds', async () => {
    const e = (env = await startSims({ dingtalk: ORG, name: 'malformed-once' }));
    e.dingtalk.control.setFaults({
      malformedPaths: [USER_LIST],
      malformedKind: 'not_json',
      malformedTimes: 1,
    });
    const report = await e.run(e.profile());
    expect(report.error).toBeUndefined();
    expect(report.status).toBe('succeeded');
    expect(report.source.users).toBe(60);
    expect(e.dingtalk.control.faults().malformedTimes).toBe(0); // the fault was met
    expect(e.pds.control.state().users).toHaveLength(60);
  });

  it.each([
    ['not_json', 'the body is not JSON'],
    ['not_envelope', 'not a DingTalk envelope (errcode: '],
    ['wrong_shape', 'result: '],
  ] as const)(
    'that stays malformed (%s) fails the run as permanent within seconds, naming the path and the fault, with no PDS write',
    async (kind, fault) => {
      const e = (env = await startSims({ dingtalk: ORG, name: `malformed-${kind}` }));
      e.dingtalk.control.setFaults({ malformedPaths: [USER_LIST], malformedKind: kind });
      // the real clock, as an upper bound: the failure is a deadline, not a race
      const started = performance.now();
      const report = await e.run(e.profile());
      const elapsedMs = performance.now() - started;
      expect(report.status).toBe('failed');
      expect(report.error).toMatchObject({ code: 'dingtalk:malformed_response', permanent: true });
      expect(report.error?.message).toContain(`${USER_LIST} with a malformed body after 3 attempts: `);
      expect(report.error?.message).toContain(fault);
      expect(elapsedMs).toBeLessThan(10_000);
      expect(pdsWrites(e)).toBe(0);
    },
  );

  it('that stays malformed fails the job with UnrecoverableError after one attempt, not four', async () => {
    const e = (env = await startSims({ dingtalk: ORG, name: 'malformed-job' }));
    e.dingtalk.control.setFaults({ malformedPaths: [USER_LIST], malformedKind: 'wrong_shape' });
    const cfg = writeServiceConfig(e);
    cleanups.push(() => Promise.resolve(cfg.cleanup()));
    const { config } = loadConfig({ path: cfg.path, env: { ...process.env, ...serviceEnv(e) } });
    const url = process.env.REDIS_URL ?? '';
    const [bull, state, producer] = [workerConnection(url), workerConnection(url), producerConnection(url)];
    cleanups.push(() => Promise.all([bull.quit(), state.quit(), producer.quit()]));
    const keys = new StateKeys(config.redis.prefix);
    const history = new RunHistory(state, keys, config.history.keepRuns);
    const processor = syncProcessor({
      config: () => config,
      keys,
      lock: new ProfileLock(state, e.log),
      history,
      log: e.log,
      engineFor: engineFactory({
        keepRuns: config.history.keepRuns,
        redis: state,
        keys,
        pacer: new RedisPacer(state, config.redis.prefix),
        egress: new RedisEgressPause(state, config.redis.prefix, 300),
        log: e.log,
      }),
      check: () => Promise.reject(new Error('no check in this test')),
    });
    const worker = new Worker<JobData, JobResult, JobName>(SYNC_QUEUE, processor, {
      connection: bull,
      prefix: config.redis.prefix,
    });
    cleanups.push(() => worker.close());
    const failed = new Promise<{ job: Job<JobData, JobResult, JobName>; err: Error }>((resolve) => {
      worker.on('failed', (job, err) => {
        if (job !== undefined) resolve({ job, err });
      });
    });
    const queue = openSyncQueue(producer, config.redis.prefix);
    cleanups.push(() => queue.close());
    const added = await queue.add('sync-run', {
      profileId: 'acme',
      trigger: 'manual',
      dryRun: false,
      deep: false,
    });
    const { job, err } = await failed;
    expect(job.id).toBe(added.id);
    expect(err.name).toBe('UnrecoverableError');
    expect(err.message).toContain(`${USER_LIST} with a malformed body`);
    expect(job.opts.attempts).toBe(4); // retries were allowed, and not used
    expect(job.attemptsMade).toBe(1);
    expect(await queue.getJobState(String(added.id))).toBe('failed');
    expect(pdsWrites(e)).toBe(0);
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { Queue, Worker } from 'bullmq';
import { createLogger } from '../../src/process/logger.js';
import { isJobOf, JOB_NAMES, runDataOf, SYNC_QUEUE } from '../../src/queue/jobs.js';
import { workerConnection } from '../../src/redis/connections.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import {
  handlersOf,
  kindsWithoutHandler,
  syncProcessor,
  type ProcessorDeps,
} from '../../src/worker/processor.js';
import { ProfileLock } from '../../src/worker/profile-lock.js';
import { buildConfig } from '../helpers/profile.js';
import { dropPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

/** The worker's deps; no job runs here, so nothing of them is called. */
function deps(): ProcessorDeps {
  const log = createLogger({ level: 'silent', destination: process.stderr });
  const keys = new StateKeys('{t-job-kinds}');
  const config = buildConfig({
    profiles: [
      {
        id: 'acme',
        dingtalk: { appKey: 'k', appSecret: 's' },
        pds: { domainId: 'd', clientId: 'c', privateKey: 'p' },
      },
    ],
  });
  return {
    config: () => config,
    keys,
    lock: new ProfileLock(redis, log),
    history: new RunHistory(redis, keys, 10),
    log,
    engineFor: () => {
      throw new Error('no run in this test');
    },
    check: () => Promise.reject(new Error('no check in this test')),
  };
}

describe('every kind of job has a handler', () => {
  it('every kind of job has a handler: the worker starts with its own table', () => {
    expect(JOB_NAMES).toEqual(expect.arrayContaining(['sync-run', 'config-check']));
    expect(kindsWithoutHandler(handlersOf(deps()))).toEqual([]);
    expect(typeof syncProcessor(deps())).toBe('function');
  });

  it('the worker refuses to start when a kind of job has no handler', () => {
    const { 'config-check': _left, ...withoutCheck } = handlersOf(deps());
    expect(kindsWithoutHandler(withoutCheck)).toEqual(['config-check']);
    expect(() => syncProcessor(deps(), withoutCheck)).toThrow('no handler for job kind config-check');
  });

  it.each([
    ['sync-run', { profileId: 'acme', trigger: 'manual', dryRun: false, deep: false }, true],
    ['config-check', { profileId: 'acme' }, false],
  ] as const)('a job is narrowed to its kind by its name: %s', (name, data, isRun) => {
    const job = { name, data };
    expect(isJobOf(job, 'sync-run')).toBe(isRun);
    expect(isJobOf(job, 'config-check')).toBe(!isRun);
    expect(runDataOf(job)).toBe(isRun ? data : undefined);
  });

  it("fails a job of a kind it does not know (a newer enqueuer's) at once, without retrying it", async () => {
    const prefix = uniquePrefix('job-kinds');
    const connection = workerConnection(testRedisUrl());
    // an enqueuer that knows a kind this worker does not: BullMQ's untyped queue
    const newer = new Queue(SYNC_QUEUE, { connection: redis, prefix });
    const worker = new Worker(SYNC_QUEUE, syncProcessor(deps()), { connection, prefix });
    try {
      const failed = new Promise<{ attempts: number; reason: string }>((resolve) =>
        worker.once('failed', (job, err) =>
          resolve({ attempts: job?.attemptsMade ?? 0, reason: err.message }),
        ),
      );
      await newer.add('undo-run', { profileId: 'acme' }, { attempts: 4 });
      expect(await failed).toEqual({ attempts: 1, reason: 'unknown job kind undo-run' });
    } finally {
      await worker.close();
      await newer.close();
      connection.disconnect();
      await dropPrefix(redis, prefix);
    }
  });
});

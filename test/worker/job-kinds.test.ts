import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/process/logger.js';
import { isJobOf, JOB_NAMES, runDataOf } from '../../src/queue/jobs.js';
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
import { testRedis } from '../helpers/redis.js';

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
});

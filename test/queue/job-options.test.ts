import { afterAll, describe, expect, it } from '@jest/globals';
import { openSyncQueue, syncJobOptions } from '../../src/queue/queue.js';
import { buildConfig } from '../helpers/profile.js';
import { testRedis, uniquePrefix } from '../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const profiles = [
  {
    id: 'acme',
    dingtalk: { appKey: 'k', appSecret: 's' },
    pds: { domainId: 'd', clientId: 'c', privateKey: 'p' },
  },
];

describe('job retry defaults live in the config schema only', () => {
  it("job retry defaults live in the config schema only: a queue opened without a config retries as the schema's defaults say", async () => {
    const { runs } = buildConfig({ profiles });
    const queue = openSyncQueue(redis, uniquePrefix('job-options'));
    try {
      expect(queue.defaultJobOptions).toMatchObject({
        attempts: runs.attempts,
        backoff: { type: 'exponential', delay: runs.backoffSeconds * 1000 },
      });
    } finally {
      await queue.close();
    }
  });

  it("a config's runs section sets every run's attempts and first backoff", () => {
    const { runs } = buildConfig({ profiles, runs: { attempts: 2, backoffSeconds: 5 } });
    expect(syncJobOptions(runs)).toMatchObject({
      attempts: 2,
      backoff: { type: 'exponential', delay: 5000 },
    });
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/process/logger.js';
import { localEgressPause } from '../../src/pacing/egress-pause.js';
import { unpaced } from '../../src/pacing/pacer.js';
import { METRICS } from '../../src/metrics/names.js';
import { MetricsWriter } from '../../src/metrics/metrics-writer.js';
import { readSeries } from '../../src/metrics/store.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { buildProfile } from '../helpers/profile.js';
import { countingCalls, dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { until } from '../helpers/service.js';

const redis = testRedis();
const prefix = uniquePrefix('batched');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const log = createLogger({ level: 'silent' });
const calls = async (outcome: string) =>
  (await readSeries(redis, prefix)).counters.find(
    (s) =>
      s.name === METRICS.remoteCalls.name && s.labels.api === '/v2/user/list' && s.labels.outcome === outcome,
  )?.value ?? 0;

describe('metrics writes', () => {
  it('a long run writes its remote calls in periodic batches, one transaction per flush, not one round trip per call', async () => {
    const { client, calls: redisCalls } = countingCalls(redis, ['multi', 'hincrby', 'hset', 'pipeline']);
    const writer = new MetricsWriter(client, prefix, log, 50);
    try {
      const engineFor = writer.meter(
        engineFactory({
          keepRuns: 10,
          redis,
          keys: new StateKeys(prefix),
          pacer: unpaced,
          egress: localEgressPause(300),
          log,
        }),
      );
      const deps = engineFor(buildProfile({ id: 'acme' }), new AbortController().signal, () => undefined);
      for (let i = 0; i < 500; i++) deps.stats.pds.outcome('/v2/user/list', 'ok');
      // the run is still going: a periodic flush writes what it counted so far
      await until(async () => (await calls('ok')) === 500, 'the periodic flush');
      expect(redisCalls.get('multi')).toBeLessThanOrEqual(3);
      expect(redisCalls.get('hincrby')).toBe(0); // queued inside the transaction, not sent one by one
      for (let i = 0; i < 7; i++) deps.stats.pds.outcome('/v2/user/list', 'throttled');
      deps.onProgress?.({ phase: 'done', read: { dingtalkDepartments: 0, dingtalkUsers: 0, pdsUsers: 0 } });
      await writer.flush();
      expect(await calls('throttled')).toBe(7);
      // after its report the run is no longer metered: nothing counted twice, nothing more added
      deps.stats.pds.outcome('/v2/user/list', 'ok');
      await writer.flush();
      expect(await calls('ok')).toBe(500);
    } finally {
      await writer.close();
    }
  });
});

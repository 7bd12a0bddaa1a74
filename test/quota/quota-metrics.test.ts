import { afterAll, describe, expect, it } from '@jest/globals';
import { metricsText } from '../../src/metrics/registry.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { MonthlyCallCounter } from '../../src/quota/call-counter.js';
import { CallEstimates } from '../../src/quota/estimates.js';
import { producerConnection } from '../../src/redis/connections.js';
import { StateKeys } from '../../src/state/keys.js';
import { buildConfig } from '../helpers/profile.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const redis = testRedis();
const prefix = uniquePrefix('quota-metrics');
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const LIST = '/topapi/v2/user/list';
const SUB = '/topapi/v2/department/listsub';

const profile = (id: string, appKey: string, dingtalk: Record<string, unknown> = {}) => ({
  id,
  dingtalk: { appKey, appSecret: 's', ...dingtalk },
  pds: { domainId: `d-${id}`, clientId: 'c', privateKey: 'unused' },
  sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 2, delayMinutes: 0 } },
});

describe('/metrics and the DingTalk month', () => {
  it("serves each organisation's calls by API even without a quota, and with one its use, the quota and the projection", async () => {
    const now = new Date('2026-12-20T00:00:00Z');
    const keys = new StateKeys(prefix);
    const counter = new MonthlyCallCounter(redis, keys, { now: () => now });
    for (let i = 0; i < 30; i++) counter.forOrg('corp-q').count(LIST);
    for (let i = 0; i < 5; i++) counter.forOrg('corp-q').count(SUB);
    counter.forOrg('corp-q').refused(LIST);
    for (let i = 0; i < 4; i++) counter.forOrg('app-free').count(LIST);
    await counter.close();
    await new CallEstimates(redis, keys).record('run', 'quoted', {
      calls: { [LIST]: 10 },
      at: now.toISOString(),
    });
    const config = buildConfig({
      redis: { prefix },
      profiles: [
        profile('quoted', 'app-q', { corpId: 'corp-q', monthlyQuota: 1000, meteredApis: [LIST] }),
        profile('free', 'app-free'),
      ],
    });
    const conn = producerConnection(process.env.REDIS_URL ?? '');
    const queue = openSyncQueue(conn, prefix);
    try {
      const text = await metricsText(conn, queue, config, () => now);
      const lines = new Set(text.split('\n'));
      for (const line of [
        `dtsync_dingtalk_month_calls{org="corp-q",api="${LIST}"} 30`,
        `dtsync_dingtalk_month_calls{org="corp-q",api="${SUB}"} 5`,
        `dtsync_dingtalk_month_calls{org="app-free",api="${LIST}"} 4`,
        `dtsync_dingtalk_month_refused{org="corp-q",api="${LIST}"} 1`,
        'dtsync_dingtalk_month_used_calls{org="corp-q"} 30',
        'dtsync_dingtalk_month_used_calls{org="app-free"} 4',
        'dtsync_dingtalk_monthly_quota{org="corp-q"} 1000',
        // the daily 02:00 runs of 21 to 31 December, 10 metered calls each
        'dtsync_dingtalk_month_projected_calls{org="corp-q"} 140',
      ])
        expect({ line, served: lines.has(line) }).toEqual({ line, served: true });
      expect(text).not.toContain('dtsync_dingtalk_monthly_quota{org="app-free"}');
    } finally {
      await queue.close();
      conn.disconnect();
    }
  });
});

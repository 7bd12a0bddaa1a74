import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { quotaItem } from '../../src/check/quota-item.js';
import { MonthlyCallCounter } from '../../src/quota/call-counter.js';
import { CallEstimates } from '../../src/quota/estimates.js';
import { readMonthCalls } from '../../src/quota/month-calls.js';
import { quotaMonth } from '../../src/quota/month.js';
import { orgMonths } from '../../src/quota/org-month.js';
import { StateKeys } from '../../src/state/keys.js';
import { buildProfile } from '../helpers/profile.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let keys: StateKeys;
beforeAll(() => {
  redis = testRedis();
  prefix = uniquePrefix('quota-month');
  keys = new StateKeys(prefix);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  await redis.quit();
});

const LIST = '/topapi/v2/user/list';
const daily = (id: string, monthlyQuota?: number) =>
  buildProfile({
    id,
    dingtalk: { appKey: 'ding-quota-app', ...(monthlyQuota === undefined ? {} : { monthlyQuota }) },
    sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 2, delayMinutes: 0 } },
  });

/** Counts `n` calls to `path` at the instant `at`, through a counter as a worker holds it. */
async function countAt(at: Date, org: string, path: string, n: number): Promise<void> {
  const counter = new MonthlyCallCounter(redis, keys, { now: () => at });
  const meter = counter.forOrg(org);
  for (let i = 0; i < n; i++) meter.count(path);
  await counter.close();
}

describe('the quota month', () => {
  it('a call counts in the natural month of Beijing: 2026-11-30T16:30Z is already December', async () => {
    await countAt(new Date('2026-11-30T15:59:00Z'), 'corp-edge', LIST, 2);
    await countAt(new Date('2026-11-30T16:30:00Z'), 'corp-edge', LIST, 3);
    expect(quotaMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    const nov = await readMonthCalls(redis, keys, ['corp-edge'], '2026-11');
    const dec = await readMonthCalls(redis, keys, ['corp-edge'], '2026-12');
    expect(nov.get('corp-edge')?.calls).toEqual({ [LIST]: 2 });
    expect(dec.get('corp-edge')?.calls).toEqual({ [LIST]: 3 });
  });

  it("the month's use is shown even without a quota", async () => {
    const now = new Date('2027-01-10T00:00:00Z');
    await countAt(now, 'ding-quota-app', LIST, 7);
    const [month] = await orgMonths(redis, keys, [daily('no-quota')], now);
    expect(month).toMatchObject({ org: 'ding-quota-app', month: '2027-01', used: 7, calls: { [LIST]: 7 } });
    expect(month?.standing).toBeUndefined();
    if (month === undefined) throw new Error('no month');
    expect(quotaItem(month)).toMatchObject({ level: 'ok', state: 'counted', params: { used: 7 } });
  });

  it("the projection adds each scheduled run left in the month at its profile's calls per run, and 80 % of the quota projected warns", async () => {
    // 20 December 08:00 in Beijing: the daily 02:00 runs of the 21st to the 31st are to come
    const now = new Date('2026-12-20T00:00:00Z');
    await countAt(now, 'ding-quota-app', LIST, 500);
    await new CallEstimates(redis, keys).record('run', 'proj', {
      calls: { [LIST]: 100 },
      at: now.toISOString(),
    });
    const [month] = await orgMonths(redis, keys, [daily('proj', 2000)], now);
    expect(month?.used).toBe(500);
    expect(month?.standing).toEqual({ quota: 2000, percent: 25, projected: 500 + 11 * 100, unestimated: [] });
    if (month === undefined) throw new Error('no month');
    expect(quotaItem(month)).toMatchObject({ level: 'warn', state: 'near', params: { projected: 1600 } });
    const [roomy] = await orgMonths(redis, keys, [daily('proj', 3000)], now);
    if (roomy === undefined) throw new Error('no month');
    expect(quotaItem(roomy)).toMatchObject({ level: 'ok', state: 'within' });
  });

  it('only the metered APIs count against the quota (dingtalk.meteredApis)', async () => {
    const now = new Date('2027-02-03T00:00:00Z');
    await countAt(now, 'corp-metered', LIST, 4);
    await countAt(now, 'corp-metered', '/gettoken', 9);
    const profile = buildProfile({
      id: 'metered',
      dingtalk: { appKey: 'k', corpId: 'corp-metered', monthlyQuota: 10, meteredApis: [LIST] },
    });
    const [month] = await orgMonths(redis, keys, [profile], now);
    expect(month).toMatchObject({ used: 4, calls: { [LIST]: 4, '/gettoken': 9 } });
    expect(month?.standing?.percent).toBe(40);
  });
});

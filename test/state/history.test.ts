import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { ApplyOutcome, INLINE_CAP } from '../../src/apply/outcome.js';
import { buildReport } from '../../src/report/build-report.js';
import { zeroCounts } from '../../src/report/types.js';
import { RunHistory } from '../../src/state/history.js';
import { CHUNK } from '../../src/state/chunk-list.js';
import { StateKeys } from '../../src/state/keys.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let keys: StateKeys;

beforeAll(() => {
  redis = testRedis();
  prefix = uniquePrefix('history');
  keys = new StateKeys(prefix);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const change = (i: number) => ({
  action: { type: 'update' } as const,
  dingtalkUserId: `u${i}`,
  fields: { phone: [undefined, `1380000${String(i).padStart(4, '0')}`] as const },
});

describe('the run change log', () => {
  it('keeps every change of a large run, masked, while the report carries only the first ones', async () => {
    const history = new RunHistory(redis, keys, 10);
    const outcome = new ApplyOutcome(history.changeLog('big'));
    for (let i = 0; i < 4500; i++) outcome.change(change(i));
    await outcome.flush();
    expect(outcome.changes).toHaveLength(INLINE_CAP);
    expect(outcome.changesTruncated).toBe(true);
    const log = await history.changes('big');
    expect(log).toHaveLength(4500);
    expect(log[4499]?.dingtalkUserId).toBe('u4499');
    expect(log[4499]?.fields?.phone).toEqual([undefined, '138****4499']);
    // compact: a handful of compressed chunks, not a key or list entry per change
    expect(await redis.llen(keys.runChanges('big'))).toBe(Math.ceil(4500 / CHUNK));
  });

  it('a retried dry run starts its change log afresh, so no planned change is listed twice', async () => {
    const history = new RunHistory(redis, keys, 10);
    const first = history.changeLog('retried');
    for (let i = 0; i < 10; i++) first.add(change(i));
    await first.flush();
    const second = history.changeLog('retried', { attempt: 2, keepEarlier: false });
    for (let i = 0; i < 3; i++) second.add(change(i));
    await second.flush();
    expect(await history.changes('retried')).toHaveLength(3);
  });

  it("a retried real run keeps what its earlier attempts applied, with each attempt's counts", async () => {
    const history = new RunHistory(redis, keys, 10);
    const first = history.changeLog('recovered', { attempt: 1, keepEarlier: true });
    for (let i = 0; i < 10; i++) first.add(change(i));
    await first.flush({ ...zeroCounts(), created: 10, linksAdded: 7, unchanged: 99 });
    const second = history.changeLog('recovered', { attempt: 2, keepEarlier: true });
    for (let i = 10; i < 13; i++) second.add(change(i));
    await second.flush({ ...zeroCounts(), created: 3 });
    expect(await history.changes('recovered')).toHaveLength(13);
    await history.recordPlanned('recovered', 1, { ...zeroCounts(), created: 40 });
    const earlier = await history.earlierAttempts('recovered', 2);
    expect([...earlier.applied.keys()]).toEqual([1]);
    // only writes made count; what the plan alone knew (unchanged) is not carried over
    expect(earlier.applied.get(1)).toMatchObject({ created: 10, linksAdded: 7 });
    expect(earlier.applied.get(1)).not.toHaveProperty('unchanged');
    // the first attempt's plan, for the plan difference a kill -9 cannot lose
    expect(earlier.firstPlanned).toMatchObject({ attempt: 1, counts: { created: 40 } });
  });

  it('failures go to the change log too, past the inline cap', async () => {
    const history = new RunHistory(redis, keys, 10);
    const outcome = new ApplyOutcome(history.changeLog('failing'));
    for (let i = 0; i < INLINE_CAP + 5; i++)
      outcome.fail({
        dingtalkUserId: `u${i}`,
        pdsUserId: `dt_u${i}`,
        action: { type: 'create' },
        code: 'AlreadyExist',
        kind: 'remote_error',
        reason: 'taken',
      });
    await outcome.flush();
    expect(outcome.failures).toHaveLength(INLINE_CAP);
    expect(outcome.failuresTruncated).toBe(true);
    expect(outcome.counts.failed).toBe(INLINE_CAP + 5);
    const log = await history.changes('failing');
    expect(log).toHaveLength(INLINE_CAP + 5);
    expect(log[INLINE_CAP + 4]).toEqual({
      action: { type: 'create' },
      dingtalkUserId: `u${INLINE_CAP + 4}`,
      pdsUserId: `dt_u${INLINE_CAP + 4}`,
      failure: { code: 'AlreadyExist', kind: 'remote_error', reason: 'taken', params: {} },
      at: expect.any(String),
    });
  });

  it('a change log that could not be stored fails the flush instead of passing silently', async () => {
    const broken = testRedis();
    const history = new RunHistory(broken, keys, 10);
    const log = history.changeLog('lost');
    await broken.quit();
    log.add(change(1));
    await expect(log.flush()).rejects.toThrow();
  });

  it('history keeps only keepRuns runs, and drops the change logs of the runs it forgets', async () => {
    const history = new RunHistory(redis, keys, 2);
    for (let i = 0; i < 3; i++) {
      const runId = `kept-${i}`;
      const log = history.changeLog(runId);
      log.add(change(i));
      await log.flush();
      const at = new Date(Date.UTC(2026, 0, 1, i));
      const report = buildReport({
        request: { runId, profileId: 'keep', trigger: 'manual', dryRun: false, deep: false },
        startedAt: at,
        finishedAt: at,
      });
      await history.save(report);
    }
    expect(await history.get('kept-0')).toBeUndefined();
    expect(await redis.exists(keys.runChanges('kept-0'))).toBe(0);
    expect(await history.changes('kept-2')).toHaveLength(1);
  });
});

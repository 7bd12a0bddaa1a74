import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RedisClient } from '../../src/redis/client.js';
import { enqueueApproval, enqueueCheck, enqueueManual, enqueueScheduled } from '../../src/queue/enqueue.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { keepsRunIdRule, newRunId } from '../../src/queue/run-id.js';
import { producerConnection } from '../../src/redis/connections.js';
import type { PrivateRedis } from '../../sim/redis/private-redis.js';
import { ownRedis } from '../helpers/redis.js';

describe('the run id format', () => {
  it.each([
    ['mj3k2a1x-4f9q2z', true],
    ['12', false], // all digits: an old BullMQ id
    ['0000', false],
    ['run:12', false], // BullMQ refuses ':' in a custom id
    ['mj3k2a1x-4f9q2z7', true], // 16 characters
    ['mj3k2a1x-4f9q2z78', false], // 17
    ['12a', true],
  ])('%s keeps the rule: %s', (id, keeps) => {
    expect(keepsRunIdRule(id)).toBe(keeps);
  });

  it.each([
    ['the epoch', 0],
    ['today', Date.parse('2026-12-05T03:07:00Z')],
    ['an instant whose base36 time is all digits', parseInt('10000000', 36)],
    ['the last 8-character instant (2059)', 36 ** 8 - 1],
    ['the first 9-character one', 36 ** 8],
    ['the year 2200', Date.parse('2200-01-01T00:00:00Z')],
  ])('an id made at %s keeps the rule', (_when, at) => {
    const broken = Array.from({ length: 200 }, () => newRunId(at)).filter((id) => !keepsRunIdRule(id));
    expect(broken).toEqual([]);
  });

  it('ids are ordered by the time they were made (within one width) and differ within one millisecond', () => {
    const times = [1, 2, 1000, Date.parse('2026-12-05T03:07:00Z'), 36 ** 8 - 1];
    const ids = times.map((t) => newRunId(t));
    expect([...ids].sort()).toEqual(ids);
    const same = Array.from({ length: 1000 }, () => newRunId(1));
    expect(new Set(same).size).toBe(1000);
  });
});

describe('run ids are never reused', () => {
  let redis: PrivateRedis;
  let conn: RedisClient;
  let queue: SyncQueue;

  beforeAll(async () => {
    // a Redis of this test's own: FLUSHALL on the shared one would empty every other test's keys
    redis = await ownRedis();
    conn = producerConnection(redis.url);
    queue = openSyncQueue(conn, '{t-run-ids}');
  });
  afterAll(async () => {
    await queue.close();
    conn.disconnect();
    await redis.stop();
  });

  /** One job of each way a run or a check is enqueued. */
  async function enqueueEach(): Promise<string[]> {
    const manual = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
    const dry = await enqueueManual(queue, 'acme', { dryRun: true, deep: false });
    const slot = await enqueueScheduled(queue, 'acme', '2026-12-05T03:07[Asia/Shanghai]', 86_400_000);
    const approval = await enqueueApproval(queue, 'acme', 'mj3k2a1x-4f9q2z');
    const check = await enqueueCheck(queue, 'acme');
    return [manual.runId, dry.runId, slot.runId, approval.runId, check];
  }

  it('run ids after FLUSHALL differ from every earlier id', async () => {
    const before = await enqueueEach();
    await conn.flushall();
    const after = await enqueueEach();
    expect(new Set([...before, ...after]).size).toBe(before.length + after.length);
    expect([...before, ...after].filter((id) => !keepsRunIdRule(id))).toEqual([]);
  });

  it("a schedule slot is still one job with our ids: a second enqueue of the slot returns the first one's id", async () => {
    const slot = '2026-12-06T03:07[Asia/Shanghai]';
    const first = await enqueueScheduled(queue, 'acme', slot, 86_400_000);
    const again = await enqueueScheduled(queue, 'acme', slot, 86_400_000);
    expect(first.existing).toBe(false);
    expect(again).toEqual({ runId: first.runId, existing: true });
    expect(
      (await queue.getJobs(['waiting'])).filter(
        (j) => j.data.profileId === 'acme' && 'slot' in j.data && j.data.slot === slot,
      ),
    ).toHaveLength(1);
  });
});

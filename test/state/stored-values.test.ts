import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { zeroCounts, type RunReport } from '../../src/report/types.js';
import { summaryOf } from '../../src/report/summary.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { SnapshotState } from '../../src/state/snapshot-state.js';
import { StoredValueError } from '../../src/errors/stored-value-error.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let keys: StateKeys;

beforeAll(() => {
  redis = testRedis();
  prefix = uniquePrefix('stored');
  keys = new StateKeys(prefix);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** The error a read throws, for matching on its class and message. */
async function failure(read: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await read;
  } catch (err) {
    if (err instanceof StoredValueError) return { name: err.name, message: err.message };
    throw err;
  }
  throw new Error('the read succeeded');
}

const report = (runId: string): RunReport => ({
  runId,
  profileId: 'acme',
  trigger: 'manual',
  dryRun: false,
  deep: false,
  status: 'failed',
  startedAt: '2026-12-01T02:00:00.000Z',
  finishedAt: '2026-12-01T02:00:00.000Z',
  source: { departments: 0, users: 0 },
  counts: zeroCounts(),
  warnings: [],
  failures: [],
  changes: [],
  changesTruncated: false,
  apiCalls: { dingtalk: {}, pds: {} },
});

describe('what Redis holds is validated when read back, with the key named in the error', () => {
  it('a last-complete record reads back as the counts written', async () => {
    const state = new SnapshotState(redis, keys);
    await state.recordComplete('acme', 'scope1', { users: 120, departments: 9 }, '2026-12-01T02:00:00Z');
    expect(await state.lastComplete('acme', 'scope1')).toEqual({
      kind: 'lastComplete',
      counts: { users: 120, departments: 9 },
      at: '2026-12-01T02:00:00Z',
    });
  });

  it('a last-complete record without its counts is refused, not read as undefined counts', async () => {
    const key = keys.lastComplete('acme', 'scope2');
    await redis.set(key, JSON.stringify({ users: '120', at: '2026-12-01' }));
    const err = await failure(new SnapshotState(redis, keys).lastComplete('acme', 'scope2'));
    expect(err.name).toBe('StoredValueError');
    expect(err.message).toContain(`Redis key ${key} holds a bad value: users:`);
    expect(err.message).toContain('departments:');
  });

  it('a value that is not JSON is refused as such', async () => {
    const key = keys.lastComplete('acme', 'scope3');
    await redis.set(key, '{"users": 12');
    expect(await failure(new SnapshotState(redis, keys).lastComplete('acme', 'scope3'))).toEqual({
      name: 'StoredValueError',
      message: `Redis key ${key} holds a bad value: not JSON`,
    });
  });

  it('a saved run report reads back equal', async () => {
    const history = new RunHistory(redis, keys, 10);
    const r = { ...report('r-ok'), status: 'succeeded' as const, finishedAt: '2026-12-01T02:01:00Z' };
    await history.save(r);
    expect(await history.get('r-ok')).toEqual(summaryOf(r));
  });

  it('a held report with coded warnings, held reason, failure params and run problem reads back equal', async () => {
    const history = new RunHistory(redis, keys, 10);
    const r: RunReport = {
      ...report('r-coded'),
      status: 'held',
      warnings: [{ code: 'mobile_not_authorised', params: {} }],
      heldReason: {
        code: 'disable_limit',
        params: { users: 9, managed: 10, percent: '90.0', maxCount: 5, maxPercent: 10 },
      },
      failures: [
        {
          dingtalkUserId: 'u1',
          pdsUserId: undefined,
          action: { type: 'create' },
          code: 'AlreadyExist.Account',
          kind: 'phone_taken',
          reason: 'phone taken',
          params: { owner: 'x' },
        },
      ],
      error: {
        code: 'dingtalk:60011',
        message: 'no permission',
        problem: { code: 'dingtalk.permission', params: { path: '/x' } },
        permanent: true,
      },
    };
    await history.save(r);
    expect(await history.get('r-coded')).toEqual(JSON.parse(JSON.stringify(summaryOf(r))));
  });

  it('a report stored before the rename of linkReads.afterPlan reads back with afterWalk', async () => {
    await redis.set(
      keys.run('r-old'),
      JSON.stringify({ ...report('r-old'), linkReads: { duringWalk: 3, afterPlan: 2 } }),
    );
    const got = await new RunHistory(redis, keys, 10).get('r-old');
    expect(got?.linkReads).toEqual({ duringWalk: 3, afterWalk: 2 });
  });

  it('a run report with an unknown status is refused, naming the field, not the value', async () => {
    const key = keys.run('r-bad');
    await redis.set(key, JSON.stringify({ ...report('r-bad'), status: 'exploded', warnings: 'none' }));
    const err = await failure(new RunHistory(redis, keys, 10).get('r-bad'));
    expect(err.message).toMatch(new RegExp(`^Redis key ${key.replace(/[{}]/g, '\\$&')} holds a bad value: `));
    expect(err.message).toContain('status:');
    expect(err.message).toContain('warnings:');
    expect(err.message).not.toContain('exploded');
  });

  it('a change-log entry that is not gzip, or whose changes have no action, is refused', async () => {
    const history = new RunHistory(redis, keys, 10);
    const key = keys.runChanges('r-log');
    await redis.rpush(key, gzipSync(JSON.stringify([{ action: 'create', dingtalkUserId: 'u1' }])));
    await redis.rpush(key, Buffer.from('plain text'));
    expect((await failure(history.changes('r-log'))).message).toBe(
      `Redis key ${key} entry 1 holds a bad value: not gzip`,
    );
    await redis.lset(key, 1, gzipSync(JSON.stringify([{ dingtalkUserId: 'u2' }])));
    expect((await failure(history.changes('r-log'))).message).toContain(
      `Redis key ${key} entry 1 holds a bad value: 0.action:`,
    );
  });

  it("a change's absent old value reads back as absent, as its type says (JSON stores it as null)", async () => {
    const history = new RunHistory(redis, keys, 10);
    const log = history.changeLog('r-null');
    log.add({
      action: { type: 'update' },
      dingtalkUserId: 'u1',
      fields: { email: [undefined, 'a***@x.cn'] },
    });
    await log.flush();
    expect((await history.changes('r-null'))[0]?.fields?.email).toStrictEqual([undefined, 'a***@x.cn']);
  });

  it("an earlier attempt's record with a negative count is refused, not skipped", async () => {
    const history = new RunHistory(redis, keys, 10);
    await history
      .changeLog('r-att', { attempt: 1, keepEarlier: true })
      .flush({ ...zeroCounts(), created: 4 });
    expect((await history.earlierAttempts('r-att', 2)).applied.get(1)).toMatchObject({ created: 4 });
    const key = keys.runAttempts('r-att');
    await redis.hset(key, '1', JSON.stringify({ created: -4 }));
    expect((await failure(history.earlierAttempts('r-att', 2))).message).toContain(
      `Redis key ${key} field 1 holds a bad value: created:`,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { StateKeys } from '../../src/state/keys.js';
import { SnapshotState } from '../../src/state/snapshot-state.js';
import { countingCalls, dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let state: SnapshotState;

beforeAll(() => {
  redis = testRedis();
  prefix = uniquePrefix('journal');
  state = new SnapshotState(redis, new StateKeys(prefix));
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('the link journal', () => {
  it('marks finished users in blocks, not a Redis call per user, and leaves nobody pending after the flush', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `pds-${i}`);
    const counted = countingCalls(redis, ['srem']);
    const journal = new SnapshotState(counted.client, new StateKeys(prefix)).journal('p1');
    await journal.add(ids);
    for (const id of ids) await journal.done([id]);
    await journal.flush();
    const srems = counted.calls.get('srem') ?? 0;
    expect(srems).toBeLessThanOrEqual(3);
    expect(await state.pendingLinks('p1')).toEqual([]);
  });

  it('a user whose done mark was never flushed (the run was killed) stays pending for the next run', async () => {
    const journal = state.journal('p2');
    await journal.add(['a', 'b']);
    await journal.done(['a']);
    expect((await state.pendingLinks('p2')).sort()).toEqual(['a', 'b']);
    await journal.flush();
    expect(await state.pendingLinks('p2')).toEqual(['b']);
  });

  it('the users a run still leaves pending are pending again after its end, though Redis lost its data mid-run', async () => {
    const journal = state.journal('p3');
    await journal.add(['a', 'b', 'c']);
    await journal.done(['a']);
    // Redis restarted without persistence: the set written at the start is gone
    await redis.del(new StateKeys(prefix).linksPending('p3'));
    await journal.flush();
    expect((await state.pendingLinks('p3')).sort()).toEqual(['b', 'c']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { StateKeys } from '../../src/state/keys.js';
import { SnapshotState } from '../../src/state/snapshot-state.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let monitorClient: Redis;
let prefix: string;
let state: SnapshotState;

beforeAll(() => {
  redis = testRedis();
  monitorClient = testRedis();
  prefix = uniquePrefix('journal');
  state = new SnapshotState(redis, new StateKeys(prefix));
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
  monitorClient.disconnect();
});

describe('the link journal', () => {
  it('marks finished users in blocks, not a Redis call per user, and leaves nobody pending after the flush', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => `pds-${i}`);
    const journal = state.journal('p1');
    await journal.add(ids);
    const monitor = await monitorClient.monitor();
    let srems = 0;
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'srem') srems++;
    });
    for (const id of ids) await journal.done([id]);
    await journal.flush();
    await redis.ping(); // the monitor has seen every command sent before this one
    monitor.disconnect();
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
});

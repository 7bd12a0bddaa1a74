import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { IncidentStore } from '../../src/notify/incidents.js';
import { StoredValueError } from '../../src/errors/stored-value-error.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;

beforeAll(() => {
  redis = testRedis();
  prefix = uniquePrefix('incidents');
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe('the incident store validates what it reads back from Redis', () => {
  it('an incident and the last notification read back as written', async () => {
    const store = new IncidentStore(redis, prefix);
    expect(await store.open('acme', 'failed', { openedAt: '2026-12-01T02:00:00Z', runId: undefined })).toBe(
      true,
    );
    expect(await store.openIncidents('acme')).toEqual({
      failed: { openedAt: '2026-12-01T02:00:00Z', runId: undefined },
    });
    const last = {
      at: '2026-12-01T02:00:01Z',
      kind: 'failed',
      state: 'open',
      results: [{ channel: 'webhook', outcome: 'timeout', detail: 'ETIMEDOUT' }],
    } as const;
    await store.setLast('acme', last);
    expect(await store.last('acme')).toEqual(last);
  });

  it('an incident or a last notification of another shape fails with its key named', async () => {
    const store = new IncidentStore(redis, prefix);
    await redis.hset(`${prefix}:notify:incidents:bad`, 'held', JSON.stringify({ runId: 7 }));
    await expect(store.openIncidents('bad')).rejects.toThrow(StoredValueError);
    await expect(store.openIncidents('bad')).rejects.toThrow(
      `Redis key ${prefix}:notify:incidents:bad field held holds a bad value: openedAt:`,
    );
    await redis.set(
      `${prefix}:notify:last:bad`,
      JSON.stringify({ at: 'x', kind: 'exploded', state: 'open', results: [] }),
    );
    await expect(store.last('bad')).rejects.toThrow(StoredValueError);
    await expect(store.last('bad')).rejects.toThrow(
      `Redis key ${prefix}:notify:last:bad holds a bad value: kind:`,
    );
  });
});

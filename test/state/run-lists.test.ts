import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { RunSummary } from '../../src/report/summary.js';
import { CHUNK } from '../../src/state/chunk-list.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { seedEntry, seedOrg, seedRun, type SeedOrg } from '../helpers/run-seed.js';

/** A run's lists are stored in chunks beside its summary and read a page at a time. */

let redis: Redis;
let keys: StateKeys;
let history: RunHistory;
let org: SeedOrg;
let big: RunSummary;
let held: RunSummary;

const ENTRIES = 5_230;
const FAIL_EVERY = 7;

beforeAll(async () => {
  redis = testRedis();
  keys = new StateKeys(uniquePrefix('run-lists'));
  history = new RunHistory(redis, keys, 10);
  org = seedOrg(2_000, { divisions: 4, teamsEach: 5 });
  const start = new Date('2026-12-01T02:00:00Z');
  await seedRun(history, org, {
    runId: 'big',
    profileId: 'acme',
    startedAt: start,
    entries: ENTRIES,
    failEvery: FAIL_EVERY,
  });
  await seedRun(history, org, {
    runId: 'held',
    profileId: 'acme',
    startedAt: new Date('2026-12-02T02:00:00Z'),
    held: 2_000,
  });
  const [b, h] = await Promise.all([history.get('big'), history.get('held')]);
  if (b === undefined || h === undefined) throw new Error('not seeded');
  big = b;
  held = h;
});
afterAll(async () => {
  await dropPrefix(redis, keys.prefix);
  redis.disconnect();
});

/** The entries a list holds, computed from the seed alone. */
const expected = (failures: boolean) =>
  Array.from({ length: ENTRIES }, (_, i) => i)
    .filter((i) => (i % FAIL_EVERY === FAIL_EVERY - 1) === failures)
    .map((i) => seedEntry(org, i));

const ids = (items: readonly { dingtalkUserId?: string | undefined; action: { type: string } }[]) =>
  items.map((c) => `${c.action.type}:${c.dingtalkUserId ?? ''}`);

describe('the change log, a page at a time', () => {
  it('page N of the change log holds the right entries, and the total comes from the digests', async () => {
    const d = await history.lists.departments('big');
    const all = expected(false);
    for (const page of [1, 50, Math.ceil(all.length / 50)]) {
      const p = await history.lists.page('changes', big, { page, pageSize: 50 }, d);
      expect(ids(p.items)).toEqual(ids(all.slice((page - 1) * 50, page * 50)));
      expect(p.total).toBe(all.length);
      expect(p.more).toBe(page * 50 < all.length);
    }
    const failures = await history.lists.page('failures', big, { page: 3, pageSize: 20 }, d);
    expect(ids(failures.items)).toEqual(ids(expected(true).slice(40, 60)));
    expect(failures.total).toBe(expected(true).length);
  });

  it('a page reads only the chunks that hold it, never the whole log', async () => {
    const d = await history.lists.departments('big');
    const before = await history.lists.page('changes', big, { page: 50, pageSize: 50 }, d);
    // spoil the first chunk: page 50 lies in a later one, and reads on; the whole log cannot
    const first = await redis.lindexBuffer(keys.runChanges('big'), 0);
    await redis.lset(keys.runChanges('big'), 0, 'not gzip');
    try {
      const after = await history.lists.page('changes', big, { page: 50, pageSize: 50 }, d);
      expect(after.items).toEqual(before.items);
      await expect(history.changes('big')).rejects.toThrow(/not gzip/);
    } finally {
      if (first !== null) await redis.lset(keys.runChanges('big'), 0, first);
    }
    // the changes and the failures each in their own chunks
    expect(await redis.llen(keys.runChanges('big'))).toBe(Math.ceil(expected(false).length / CHUNK));
    expect(await redis.llen(keys.runFailures('big'))).toBe(Math.ceil(expected(true).length / CHUNK));
  });

  it('filters by action, by department (with those under it, by name or path) and by name or userid', async () => {
    const d = await history.lists.departments('big');
    const disables = expected(false).filter((c) => c.action.type === 'disable');
    const p2 = await history.lists.page('changes', big, { page: 2, pageSize: 30, action: 'disable' }, d);
    expect(ids(p2.items)).toEqual(ids(disables.slice(30, 60)));
    expect(p2.total).toBe(disables.length);

    // a division's name takes in its teams; its path reads the same
    const division = org.departments.find((x) => x.name === '事业部2');
    const teams = new Set(org.departments.filter((x) => x.parentId === division?.id).map((x) => x.id));
    const inDivision = expected(false).filter((c) =>
      org.users.some((u) => u.userid === c.dingtalkUserId && u.deptIds.some((id) => teams.has(id))),
    );
    for (const department of ['事业部2', '总公司 / 事业部2', String(division?.id)]) {
      const p = await history.lists.page('changes', big, { page: 1, pageSize: 25, department }, d);
      expect(ids(p.items)).toEqual(ids(inDivision.slice(0, 25)));
    }
    const team = await history.lists.page(
      'changes',
      big,
      { page: 1, pageSize: 5, department: '总公司 / 事业部2 / 第3组' },
      d,
    );
    expect(
      team.items.every(
        (c) => c.deptIds?.length === 1 && d.label(c.deptIds[0] ?? 0) === '总公司 / 事业部2 / 第3组',
      ),
    ).toBe(true);
    expect(team.items).toHaveLength(5);

    const byName = await history.lists.page('changes', big, { page: 1, pageSize: 50, q: '员工1234' }, d);
    expect(byName.items.map((c) => c.name)).toEqual(
      expected(false)
        .filter((c) => c.dingtalkUserId === 'u1234')
        .map(() => '员工1234'),
    );
    const byId = await history.lists.page('failures', big, { page: 1, pageSize: 50, q: 'U13' }, d);
    expect(byId.items.length).toBeGreaterThan(0);
    expect(byId.items.every((c) => c.dingtalkUserId?.startsWith('u13') === true)).toBe(true);
  });

  it('each entry carries its time, its person named and its departments by id; phones masked', async () => {
    const d = await history.lists.departments('big');
    const p = await history.lists.page('changes', big, { page: 1, pageSize: 1 }, d);
    const c = p.items[0];
    expect(c?.name).toBe('员工0');
    expect(c?.at).toBe('2026-12-01T02:00:00.000Z');
    expect(d.label(c?.deptIds?.[0] ?? 0)).toBe('总公司 / 事业部1 / 第1组');
    expect(c?.fields?.phone).toEqual([undefined, '139****0000']);
  });
});

describe('a held run of 2,000 disables', () => {
  it('stores its summary apart, counted and naming nobody, and its people once, in chunks', async () => {
    const raw = (await redis.get(keys.run('held'))) ?? '';
    expect(raw.length).toBeLessThan(4_096);
    expect(raw).not.toContain('员工');
    expect(held.held).toMatchObject({
      total: 2_000,
      kinds: { disable: 2_000, clearPhone: 0, clearEmail: 0 },
    });
    expect(await redis.llen(keys.runHeld('held'))).toBe(Math.ceil(2_000 / CHUNK));
    const d = await history.lists.departments('held');
    const p = await history.lists.page('held', held, { page: 7, pageSize: 100 }, d);
    expect(p.items.map((e) => e.userid)).toEqual(org.users.slice(600, 700).map((u) => u.userid));
    expect(p.items[0]?.name).toBe('员工600');
    expect(p.total).toBe(2_000);
  });
});

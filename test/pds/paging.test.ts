import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PdsError } from '../../src/errors/pds-error.js';
import { collect, failureOf, startFakePds, startHarness, type Harness } from '../helpers/pds-harness.js';

let h: Harness;
const USERS = 260;
const GROUPS = 260;
const CHILD_GROUPS = 5;

beforeAll(async () => {
  h = await startHarness();
  const users = Array.from({ length: USERS }, (_, i) => ({
    user_id: `u${String(i).padStart(3, '0')}`,
    status: i % 2 === 0 ? 'enabled' : 'disabled',
  }));
  const big = {
    group_id: 'big',
    group_name: 'Big',
    is_root: true,
    members: {
      users: users.map((u) => u.user_id),
      groups: Array.from({ length: CHILD_GROUPS }, (_, i) => `c${i}`),
    },
  };
  const children = Array.from({ length: CHILD_GROUPS }, (_, i) => ({
    group_id: `c${i}`,
    group_name: `Child ${i}`,
  }));
  const more = Array.from({ length: GROUPS - 1 - CHILD_GROUPS }, (_, i) => ({
    group_id: `g${i}`,
    group_name: `G ${i}`,
    parent_group_id: 'big',
  }));
  h.sim.control.seed({ users, groups: [big, ...children, ...more] });
});
afterAll(() => h.close());
beforeEach(() => h.sim.control.resetCounters());

describe('PDS client listings walk marker/next_marker with limit 100', () => {
  it('lists more than 250 users in pages of 100, in order, each exactly once', async () => {
    const client = h.client();
    const pages = await collect(client.listUsers());
    expect(pages.map((p) => p.length)).toEqual([100, 100, 60]);
    const ids = pages.flat().map((u) => u.user_id);
    expect(ids).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(USERS);
    expect(ids[0]).toBe('u000');
    expect(ids.at(-1)).toBe('u259');
    expect(h.sim.control.counters().calls['/v2/user/list']).toBe(3);
  });

  it('lists more than 250 groups', async () => {
    const pages = await collect(h.client().listGroups());
    expect(pages.map((p) => p.length)).toEqual([100, 100, 60]);
    expect(new Set(pages.flat().map((g) => g.group_id)).size).toBe(GROUPS);
  });

  it('lists more than 250 user members of a group (member_type user)', async () => {
    const pages = await collect(h.client().listMembers('big', 'user'));
    expect(pages.map((p) => p.users.length)).toEqual([100, 100, 60]);
    expect(pages.every((p) => p.groups.length === 0)).toBe(true);
  });

  it('lists users then groups under one marker when member_type is omitted', async () => {
    const pages = await collect(h.client().listMembers('big'));
    const users = pages.flatMap((p) => p.users);
    const groups = pages.flatMap((p) => p.groups);
    expect(users).toHaveLength(USERS);
    expect(groups).toHaveLength(GROUPS - 1);
    expect(pages.every((p) => p.users.length + p.groups.length <= 100)).toBe(true);
  });

  it('search pages over the matching users only', async () => {
    const pages = await collect(h.client().searchUsers({ status: 'disabled' }));
    const found = pages.flat();
    expect(found).toHaveLength(USERS / 2);
    expect(found.every((u) => u.status === 'disabled')).toBe(true);
    expect(pages.map((p) => p.length)).toEqual([100, 30]);
  });
});

describe('PDS client listings end only on an empty next_marker', () => {
  let fake: { url: string; close: () => Promise<void> };
  /** Pages the fake answers for /v2/user/list, by marker. */
  let script: Record<string, { items: { user_id: string }[]; next_marker?: string }> = {};
  const limits: unknown[] = [];

  beforeAll(async () => {
    fake = await startFakePds((_path, body) => {
      limits.push(body.limit);
      const marker = typeof body.marker === 'string' ? body.marker : '';
      return { status: 200, body: script[marker] ?? { items: [], next_marker: '' } };
    });
  });
  afterAll(() => fake.close());

  it('an empty page with a next_marker is not the end', async () => {
    script = {
      '': { items: [{ user_id: 'a' }], next_marker: 'm1' },
      m1: { items: [], next_marker: 'm2' },
      m2: { items: [{ user_id: 'b' }] },
    };
    const pages = await collect(h.client({ pds: { baseUrl: fake.url } }).listUsers());
    expect(pages.flat().map((u) => u.user_id)).toEqual(['a', 'b']);
    expect(limits.every((l) => l === 100)).toBe(true);
  });

  it('a next_marker that repeats is a malformed answer, not an endless loop', async () => {
    script = {
      '': { items: [{ user_id: 'a' }], next_marker: 'm1' },
      m1: { items: [{ user_id: 'b' }], next_marker: 'm1' },
    };
    const err = await failureOf(collect(h.client({ pds: { baseUrl: fake.url } }).listUsers()));
    expect(err).toBeInstanceOf(PdsError);
    expect(err).toMatchObject({ code: 'MalformedResponse', path: '/v2/user/list' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { PdsSimulator } from '../../../sim/pds/types.js';
import { startSim, type Answer } from '../../helpers/pds-sim-raw.js';

let sim: PdsSimulator;
let api: (path: string, body: unknown) => Promise<Answer>;

beforeAll(async () => {
  ({ sim, api } = await startSim({ userQuota: 1000 }));
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.control.seed({
    replace: true,
    users: [{ user_id: 'alice' }, { user_id: 'bob' }],
    groups: [
      { group_id: 'root', group_name: 'Root', is_root: true },
      { group_id: 'a', group_name: 'A', parent_group_id: 'root' },
      { group_id: 'b', group_name: 'B', parent_group_id: 'root' },
      { group_id: 'a1', group_name: 'A1', parent_group_id: 'a' },
    ],
    links: [{ user_id: 'alice', type: 'ding', identity: 'union-alice' }],
  });
});

const x = (n: number) => 'x'.repeat(n);
/** A user_data map whose JSON text is exactly `n` characters: {"k":"…"} is 8 + value. */
const userDataOfJsonLength = (n: number) => ({ k: x(n - 8) });

type Expect = [status: number, code?: string];
const table: [rule: string, path: string, body: Record<string, unknown>, expected: Expect][] = [
  // users
  ['user_id of 64 characters is accepted', '/v2/user/create', { user_id: x(64) }, [200]],
  [
    'user_id longer than 64 characters is 400',
    '/v2/user/create',
    { user_id: x(65) },
    [400, 'InvalidParameterOutOfRange'],
  ],
  ['user_id with "#" is 400', '/v2/user/create', { user_id: 'a#b' }, [400, 'InvalidParameter']],
  ['a missing user_id is 400', '/v2/user/create', { nick_name: 'n' }, [400, 'InvalidParameterMissing']],
  [
    'nick_name of 128 characters is accepted',
    '/v2/user/create',
    { user_id: 'n128', nick_name: '张'.repeat(128) },
    [200],
  ],
  [
    'nick_name longer than 128 characters is 400',
    '/v2/user/create',
    { user_id: 'n129', nick_name: x(129) },
    [400, 'InvalidParameterOutOfRange'],
  ],
  [
    'user_name longer than 128 characters is 400',
    '/v2/user/create',
    { user_id: 'u129', user_name: x(129) },
    [400, 'InvalidParameterOutOfRange'],
  ],
  [
    'user_data of 1024 characters (JSON length) is accepted',
    '/v2/user/create',
    { user_id: 'd1024', user_data: userDataOfJsonLength(1024) },
    [200],
  ],
  [
    'user_data over 1024 characters (JSON length) is 400',
    '/v2/user/create',
    { user_id: 'd1025', user_data: userDataOfJsonLength(1025) },
    [400, 'InvalidParameterOutOfRange'],
  ],
  [
    'user_data values must be strings',
    '/v2/user/create',
    { user_id: 'dnum', user_data: { k: 1 } },
    [400, 'InvalidParameter'],
  ],
  [
    'status outside enabled/disabled is 400',
    '/v2/user/create',
    { user_id: 's', status: 'locked' },
    [400, 'InvalidParameter'],
  ],
  [
    'role outside the role enum is 400',
    '/v2/user/create',
    { user_id: 'r', role: 'owner' },
    [400, 'InvalidParameter'],
  ],
  ['role admin is accepted', '/v2/user/create', { user_id: 'adm', role: 'admin' }, [200]],
  [
    'a duplicate user_id is 409 AlreadyExist.User',
    '/v2/user/create',
    { user_id: 'alice' },
    [409, 'AlreadyExist.User'],
  ],
  [
    'group_info_list naming an unknown group is 404 NotFound.Group',
    '/v2/user/create',
    { user_id: 'g', group_info_list: [{ group_id: 'nope' }] },
    [404, 'NotFound.Group'],
  ],
  [
    'get of an unknown user is 404 NotFound.User',
    '/v2/user/get',
    { user_id: 'nobody' },
    [404, 'NotFound.User'],
  ],
  [
    'update of an unknown user is 404 NotFound.User',
    '/v2/user/update',
    { user_id: 'nobody', nick_name: 'n' },
    [404, 'NotFound.User'],
  ],
  [
    'user_name is not accepted on update',
    '/v2/user/update',
    { user_id: 'alice', user_name: 'other' },
    [400, 'InvalidParameter'],
  ],
  ['list limit 0 is 400', '/v2/user/list', { limit: 0 }, [400, 'InvalidParameterOutOfRange']],
  ['list limit 101 is 400', '/v2/user/list', { limit: 101 }, [400, 'InvalidParameterOutOfRange']],
  ['list limit 100 is accepted', '/v2/user/list', { limit: 100 }, [200]],
  ['list limit 1 is accepted', '/v2/user/list', { limit: 1 }, [200]],
  [
    'a marker that was never issued is 400',
    '/v2/user/list',
    { marker: 'bm90LWEtbWFya2Vy' },
    [400, 'InvalidParameter'],
  ],
  // groups
  [
    'a group with neither parent_group_id nor is_root is 400',
    '/v2/group/create',
    { group_name: 'G' },
    [400, 'InvalidParameter'],
  ],
  [
    'a group with both parent_group_id and is_root is 400',
    '/v2/group/create',
    { group_name: 'G', is_root: true, parent_group_id: 'root' },
    [400, 'InvalidParameter'],
  ],
  [
    'a group under an unknown parent is 404 NotFound.Group',
    '/v2/group/create',
    { group_name: 'G', parent_group_id: 'nope' },
    [404, 'NotFound.Group'],
  ],
  [
    'a group name longer than 128 characters is 400',
    '/v2/group/create',
    { group_name: x(129), is_root: true },
    [400, 'InvalidParameterOutOfRange'],
  ],
  [
    'an empty group name is 400',
    '/v2/group/create',
    { group_name: '', is_root: true },
    [400, 'InvalidParameterMissing'],
  ],
  [
    'get of an unknown group is 404 NotFound.Group',
    '/v2/group/get',
    { group_id: 'nope' },
    [404, 'NotFound.Group'],
  ],
  [
    'group/update has no parent field',
    '/v2/group/update',
    { group_id: 'a', parent_group_id: 'b' },
    [400, 'InvalidParameter'],
  ],
  [
    'deleting a group with user members is 400 NotEmpty',
    '/v2/group/delete',
    { group_id: 'withuser' },
    [400, 'NotEmpty'],
  ],
  [
    'deleting a group with child groups is 400 NotEmpty',
    '/v2/group/delete',
    { group_id: 'a' },
    [400, 'NotEmpty'],
  ],
  [
    'adding an unknown user is 404 NotFound.User',
    '/v2/group/add_member',
    { group_id: 'a', member_type: 'user', member_id: 'nobody' },
    [404, 'NotFound.User'],
  ],
  [
    'adding to an unknown group is 404 NotFound.Group',
    '/v2/group/add_member',
    { group_id: 'nope', member_type: 'user', member_id: 'alice' },
    [404, 'NotFound.Group'],
  ],
  [
    'a bad member_type is 400',
    '/v2/group/add_member',
    { group_id: 'a', member_type: 'robot', member_id: 'alice' },
    [400, 'InvalidParameter'],
  ],
  [
    'a group already under another parent cannot be added elsewhere (one parent only)',
    '/v2/group/add_member',
    { group_id: 'b', member_type: 'group', member_id: 'a1' },
    [400, 'InvalidParameter'],
  ],
  [
    'a group cannot become a member of its own descendant (no cycles)',
    '/v2/group/add_member',
    { group_id: 'a1', member_type: 'group', member_id: 'a' },
    [400, 'InvalidParameter'],
  ],
  [
    'a root group cannot get a parent',
    '/v2/group/add_member',
    { group_id: 'b', member_type: 'group', member_id: 'root' },
    [400, 'InvalidParameter'],
  ],
  [
    'removing a non-member is 404',
    '/v2/group/remove_member',
    { group_id: 'b', member_type: 'user', member_id: 'bob' },
    [404, 'NotFound.Membership'],
  ],
  [
    'list_member limit 101 is 400',
    '/v2/group/list_member',
    { group_id: 'root', limit: 101 },
    [400, 'InvalidParameterOutOfRange'],
  ],
  // links
  [
    'linking an unknown user is 404 NotFound.User',
    '/v2/account/link',
    { user_id: 'nobody', type: 'ding', identity: 'u-x' },
    [404, 'NotFound.User'],
  ],
  [
    'a ding identity already linked to another user is 409',
    '/v2/account/link',
    { user_id: 'bob', type: 'ding', identity: 'union-alice' },
    [409, 'AlreadyExist.Account'],
  ],
  [
    'linking the same identity to the same user again is 409 too',
    '/v2/account/link',
    { user_id: 'alice', type: 'ding', identity: 'union-alice' },
    [409, 'AlreadyExist.Account'],
  ],
  [
    'a link type outside the enum is 400',
    '/v2/account/link',
    { user_id: 'bob', type: 'qq', identity: '1' },
    [400, 'InvalidParameter'],
  ],
  [
    'unlinking a link that does not exist is 404',
    '/v2/account/unlink',
    { user_id: 'bob', type: 'ding', identity: 'union-bob' },
    [404, 'NotFound.Account'],
  ],
  [
    "unlinking someone else's link is 404",
    '/v2/account/unlink',
    { user_id: 'bob', type: 'ding', identity: 'union-alice' },
    [404, 'NotFound.Account'],
  ],
  [
    'get_link_info of an unknown identity is 404',
    '/v2/account/get_link_info',
    { type: 'mobile', identity: '139' },
    [404, 'NotFound.Account'],
  ],
  [
    'get_link_info_by_user_id of an unknown user is 404',
    '/v2/account/get_link_info_by_user_id',
    { user_id: 'nobody' },
    [404, 'NotFound.User'],
  ],
];

describe('PDS simulator rules', () => {
  it.each(table)('%s', async (_rule, path, body, [status, code]) => {
    sim.control.seed({
      groups: [
        { group_id: 'withuser', group_name: 'W', parent_group_id: 'root', members: { users: ['bob'] } },
      ],
    });
    const a = await api(path, body);
    expect(a.status).toBe(status);
    if (code !== undefined) {
      expect(a.body).toMatchObject({ code, request_id: expect.any(String), message: expect.any(String) });
      expect(a.headers.get('x-ca-request-id')).toBe(a.body.request_id);
    }
  });

  it('text is held as UTF-8: an unpaired surrogate sent escaped reads back as U+FFFD, control characters as sent', async () => {
    const nick = `${'张'.repeat(127)}\uD83D`;
    const sent = JSON.stringify({ user_id: 'halves', nick_name: nick, user_data: { k: 'a\uDE00b' } });
    expect(sent).toContain('\\ud83d');
    expect((await api('/v2/user/create', JSON.parse(sent))).status).toBe(200);
    const got = (await api('/v2/user/get', { user_id: 'halves' })).body;
    expect(got.nick_name).toBe(`${'张'.repeat(127)}\uFFFD`);
    expect(got.user_data).toEqual({ k: 'a\uFFFDb' });
    expect(
      (await api('/v2/user/update', { user_id: 'halves', nick_name: '王\u0000\n😀\u202E' })).status,
    ).toBe(200);
    expect((await api('/v2/user/get', { user_id: 'halves' })).body.nick_name).toBe('王\u0000\n😀\u202E');
  });

  it('user_data on update replaces the whole map (no merge)', async () => {
    await api('/v2/user/update', { user_id: 'alice', user_data: { a: '1', b: '2' } });
    const r = await api('/v2/user/update', { user_id: 'alice', user_data: { c: '3' } });
    expect(r.body.user_data).toEqual({ c: '3' });
    expect((await api('/v2/user/get', { user_id: 'alice' })).body.user_data).toEqual({ c: '3' });
  });

  it('group_info_list on update replaces the memberships of the user', async () => {
    await api('/v2/user/update', {
      user_id: 'alice',
      group_info_list: [{ group_id: 'a' }, { group_id: 'b' }],
    });
    await api('/v2/user/update', { user_id: 'alice', group_info_list: [{ group_id: 'b' }] });
    const groups = sim.control.state().groups;
    expect(groups.find((g) => g.group_id === 'a')?.members.users).toEqual([]);
    expect(groups.find((g) => g.group_id === 'b')?.members.users).toEqual(['alice']);
  });

  it('a user may be in many groups; a group in one parent only, moved by remove then add', async () => {
    expect(
      (await api('/v2/group/add_member', { group_id: 'a', member_type: 'user', member_id: 'bob' })).status,
    ).toBe(200);
    expect(
      (await api('/v2/group/add_member', { group_id: 'b', member_type: 'user', member_id: 'bob' })).status,
    ).toBe(200);
    expect(
      (await api('/v2/group/remove_member', { group_id: 'a', member_type: 'group', member_id: 'a1' })).status,
    ).toBe(200);
    expect(
      (await api('/v2/group/add_member', { group_id: 'b', member_type: 'group', member_id: 'a1' })).status,
    ).toBe(200);
    const a1 = sim.control.state().groups.find((g) => g.group_id === 'a1');
    expect(a1?.parent_group_id).toBe('b');
  });

  it('adding a member that is already a member is 409 AlreadyExist.Membership and stores it once', async () => {
    const body = { group_id: 'a', member_type: 'user', member_id: 'bob' };
    expect((await api('/v2/group/add_member', body)).body).toEqual({});
    const again = await api('/v2/group/add_member', body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('AlreadyExist.Membership');
    expect(sim.control.state().groups.find((g) => g.group_id === 'a')?.members.users).toEqual(['bob']);
  });

  it('the Group object has no parent field and no members', async () => {
    const r = await api('/v2/group/get', { group_id: 'a1' });
    expect(Object.keys(r.body).sort()).toEqual([
      'created_at',
      'description',
      'domain_id',
      'group_id',
      'group_name',
      'updated_at',
    ]);
  });

  it("the domain's user quota is enforced: 400 QuotaExhausted", async () => {
    const small = await startSim({ userQuota: 3 });
    try {
      small.sim.control.seed({ users: [{ user_id: 'admin', role: 'superadmin' }, { user_id: 'u1' }] });
      expect((await small.api('/v2/user/create', { user_id: 'u2' })).status).toBe(200);
      const full = await small.api('/v2/user/create', { user_id: 'u3' });
      expect(full.status).toBe(400);
      expect(full.body.code).toBe('QuotaExhausted');
    } finally {
      await small.sim.close();
    }
  });

  it('the delete endpoints work (so "never called" can be proven by counters), and count as writes', async () => {
    sim.control.resetCounters();
    expect((await api('/v2/group/delete', { group_id: 'a1' })).status).toBe(204);
    expect((await api('/v2/group/get', { group_id: 'a1' })).status).toBe(404);
    expect((await api('/v2/user/delete', { user_id: 'alice' })).status).toBe(204);
    expect((await api('/v2/user/get', { user_id: 'alice' })).status).toBe(404);
    // the user's links went with it
    expect((await api('/v2/account/get_link_info', { type: 'ding', identity: 'union-alice' })).status).toBe(
      404,
    );
    expect(sim.control.counters().writes).toEqual({ '/v2/group/delete': 1, '/v2/user/delete': 1 });
  });

  it('list_member answers user_items and group_items with an empty next_marker on the last page', async () => {
    await api('/v2/group/add_member', { group_id: 'a', member_type: 'user', member_id: 'alice' });
    const r = await api('/v2/group/list_member', { group_id: 'a' });
    expect(r.status).toBe(200);
    expect((r.body.user_items as { user_id: string }[]).map((u) => u.user_id)).toEqual(['alice']);
    expect((r.body.group_items as { group_id: string }[]).map((g) => g.group_id)).toEqual(['a1']);
    expect(r.body.next_marker).toBe('');
  });

  it('get_link_info answers the LinkInfo of the reference', async () => {
    await api('/v2/account/link', { user_id: 'bob', type: 'mobile', identity: '13900001111', extra: '86' });
    const r = await api('/v2/account/get_link_info', { type: 'mobile', identity: '13900001111' });
    expect(r.body).toMatchObject({
      authentication_type: 'mobile',
      identity: '13900001111',
      extra: '86',
      user_id: 'bob',
      domain_id: sim.domainId,
      created_at: expect.any(Number),
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PdsSimCounters, PdsSimState, PdsSimulator } from '../../../sim/pds/types.js';
import { control, startSim, type Answer } from '../../helpers/pds-sim-raw.js';

let sim: PdsSimulator;
let api: (path: string, body: unknown) => Promise<Answer>;

beforeAll(async () => {
  ({ sim, api } = await startSim());
});
afterAll(() => sim.close());

/** Hand-made objects, in the state's own shape, with fields the sync never sets. */
const seed = {
  users: [
    {
      domain_id: 'sim1',
      user_id: 'boss',
      user_name: 'boss',
      nick_name: 'The Boss',
      role: 'superadmin',
      status: 'enabled',
      description: 'created by hand',
      user_data: { team: 'it' },
      creator: 'console',
      created_at: 1600000000000,
      updated_at: 1600000000001,
    },
    {
      user_id: 'admin2',
      role: 'admin',
      status: 'disabled',
      user_data: {},
      created_at: 1600000000002,
      updated_at: 1600000000003,
      last_login_time: 1600000000004,
    },
  ],
  groups: [
    {
      group_id: 'hand-root',
      group_name: 'Company',
      description: 'made in the console',
      parent_group_id: null,
      is_root: true,
      members: { users: ['boss'], groups: ['hand-child'] },
      created_at: 1600000000010,
      updated_at: 1600000000011,
    },
    {
      group_id: 'hand-child',
      group_name: 'Board',
      description: '',
      parent_group_id: 'hand-root',
      is_root: false,
      members: { users: ['boss', 'admin2'], groups: [] },
      created_at: 1600000000012,
      updated_at: 1600000000013,
    },
  ],
  links: [
    { user_id: 'boss', type: 'ding', identity: 'union-boss' },
    { user_id: 'boss', type: 'mobile', identity: '13900000000', extra: '86' },
  ],
};

describe('PDS simulator state and counters over HTTP', () => {
  it('POST /_sim/state seeds objects that GET /_sim/state returns byte-identical while requests touch others', async () => {
    const seeded = await control(sim.url, 'POST', '/_sim/state', { ...seed, replace: true });
    expect(seeded.body).toEqual({ users: 2, groups: 2, links: 2 });
    // requests that change other objects only
    expect(
      (await api('/v2/user/create', { user_id: 'synced', group_info_list: [{ group_id: 'hand-child' }] }))
        .status,
    ).toBe(200);
    expect(
      (await api('/v2/group/create', { group_name: 'Synced', parent_group_id: 'hand-root' })).status,
    ).toBe(200);
    expect(
      (await api('/v2/account/link', { user_id: 'synced', type: 'ding', identity: 'union-synced' })).status,
    ).toBe(200);
    expect((await api('/v2/user/get', { user_id: 'boss' })).status).toBe(200);

    const state = (await control(sim.url, 'GET', '/_sim/state')).body as unknown as PdsSimState;
    expect(JSON.stringify(state.users.slice(0, 2))).toBe(JSON.stringify(seed.users));
    expect(JSON.stringify(state.links.slice(0, 2))).toBe(JSON.stringify(seed.links));
    const [root, child] = state.groups;
    expect(JSON.stringify(root?.members.users)).toBe('["boss"]');
    expect(
      JSON.stringify({ ...child, members: { ...child?.members, users: child?.members.users.slice(0, 2) } }),
    ).toBe(JSON.stringify(seed.groups[1]));
  });

  it('GET /_sim/state gives full users, groups with parent and members, and links', async () => {
    await control(sim.url, 'POST', '/_sim/state', { replace: true, users: [{ user_id: 'u' }] });
    await api('/v2/group/create', { group_name: 'R', is_root: true });
    const state = (await control(sim.url, 'GET', '/_sim/state')).body as unknown as PdsSimState;
    expect(state.users[0]).toMatchObject({
      user_id: 'u',
      role: 'user',
      status: 'enabled',
      user_data: {},
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect(state.groups[0]).toMatchObject({
      group_id: expect.any(String),
      group_name: 'R',
      description: '',
      parent_group_id: null,
      is_root: true,
      members: { users: [], groups: [] },
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect(state.links).toEqual([]);
  });

  it('a seed with a dangling reference is 400', async () => {
    const a = await control(sim.url, 'POST', '/_sim/state', {
      links: [{ user_id: 'ghost', type: 'ding', identity: 'x' }],
    });
    expect(a.status).toBe(400);
    expect(a.body.code).toBe('InvalidParameter');
  });

  it('GET /_sim/counters: calls (throttled included), writes (token excluded, deletes included), throttled, byStatus, busiest seconds; reset zeroes them', async () => {
    await control(sim.url, 'POST', '/_sim/state', { replace: true, users: [{ user_id: 'u' }] });
    await control(sim.url, 'POST', '/_sim/counters/reset');
    await api('/v2/user/get', { user_id: 'u' });
    await api('/v2/user/get', { user_id: 'nobody' });
    await api('/v2/user/update', { user_id: 'u', nick_name: 'n' });
    await api('/v2/user/delete', { user_id: 'u' });
    await control(sim.url, 'POST', '/_sim/faults', {
      inject: { count: 1, paths: ['/v2/group/list'], status: 429, code: 'Throttling' },
    });
    await api('/v2/group/list', {});
    const c = (await control(sim.url, 'GET', '/_sim/counters')).body as unknown as PdsSimCounters;
    expect(c.calls).toEqual({
      '/v2/user/get': 2,
      '/v2/user/update': 1,
      '/v2/user/delete': 1,
      '/v2/group/list': 1,
    });
    expect(c.writes).toEqual({ '/v2/user/update': 1, '/v2/user/delete': 1 });
    expect(c.throttled).toEqual({ '/v2/group/list': 1 });
    expect(c.byStatus).toEqual({
      '/v2/user/get': { '200': 1, '404': 1 },
      '/v2/user/update': { '200': 1 },
      '/v2/user/delete': { '204': 1 },
      '/v2/group/list': { '429': 1 },
    });
    expect(c.busiestSecond).toBeGreaterThanOrEqual(1);
    expect(c.busiestSecond).toBeLessThanOrEqual(5);
    expect(c.busiestSecondByPath['/v2/user/get']).toBeGreaterThanOrEqual(1);
    expect(c.busiestSecondByPath['/v2/user/get']).toBeLessThanOrEqual(2);
    await control(sim.url, 'POST', '/_sim/counters/reset');
    expect((await control(sim.url, 'GET', '/_sim/counters')).body).toEqual({
      calls: {},
      writes: {},
      throttled: {},
      byStatus: {},
      busiestSecond: 0,
      busiestSecondByPath: {},
    });
  });

  it('an unknown control path is 404', async () => {
    expect((await control(sim.url, 'GET', '/_sim/nothing')).status).toBe(404);
  });
});

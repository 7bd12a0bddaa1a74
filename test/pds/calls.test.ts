import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/process/logger.js';
import { checkPdsCredentials } from '../../src/pds/check.js';
import { isAlreadyExist, isNotFound } from '../../src/errors/pds-error.js';
import type { PdsApi } from '../../src/pds/types.js';
import { collect, failureOf, startFakePds, startHarness, type Harness } from '../helpers/pds-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ userQuota: 50 });
});
afterAll(() => h.close());
beforeEach(() => h.sim.control.resetCounters());

describe('PDS client calls (users, groups, account links) against the simulator', () => {
  it('creates, gets and updates a user; update sends no user_name and user_data replaces', async () => {
    const client = h.client();
    const created = await client.createUser({
      user_id: 'dt_1',
      user_name: 'zhangsan',
      nick_name: '张三',
      phone: '13900001111',
      email: 'z@example.com',
      description: 'synced from DingTalk',
      user_data: { source: 'dingtalk', dingtalk_userid: '1' },
    });
    expect(created).toMatchObject({
      user_id: 'dt_1',
      user_name: 'zhangsan',
      status: 'enabled',
      role: 'user',
    });
    expect(typeof created.created_at).toBe('number');
    const updated = await client.updateUser({
      user_id: 'dt_1',
      status: 'disabled',
      user_data: { source: 'dingtalk' },
    });
    expect(updated).toMatchObject({ status: 'disabled', user_data: { source: 'dingtalk' } });
    expect(await client.getUser('dt_1')).toMatchObject({
      nick_name: '张三',
      user_data: { source: 'dingtalk' },
    });
  });

  it('builds the org tree: a root, a child by parent_group_id, memberships, list_member', async () => {
    const client = h.client();
    const root = await client.createGroup({ group_name: 'Acme', is_root: true });
    const dept = await client.createGroup({
      group_name: 'R&D',
      description: 'dept:2',
      parent_group_id: root.group_id,
    });
    await client.createUser({ user_id: 'dt_2' });
    await client.addMember(dept.group_id, 'user', 'dt_2');
    expect((await collect(client.listMembers(root.group_id, 'group'))).flatMap((p) => p.groups)).toEqual([
      dept.group_id,
    ]);
    expect((await collect(client.listMembers(dept.group_id, 'user'))).flatMap((p) => p.users)).toEqual([
      'dt_2',
    ]);
    const renamed = await client.updateGroup({ group_id: dept.group_id, group_name: 'R and D' });
    expect(renamed).toMatchObject({ group_id: dept.group_id, group_name: 'R and D', description: 'dept:2' });
    expect(await client.getGroup(dept.group_id)).toMatchObject({ group_name: 'R and D' });
    await client.removeMember(dept.group_id, 'user', 'dt_2');
    expect((await collect(client.listMembers(dept.group_id))).flatMap((p) => p.users)).toEqual([]);
  });

  it('links and unlinks ding and mobile identities', async () => {
    const client = h.client();
    await client.createUser({ user_id: 'dt_3', nick_name: 'Li' });
    await client.link({ user_id: 'dt_3', type: 'ding', identity: 'union-3' });
    await client.link({ user_id: 'dt_3', type: 'mobile', identity: '13900003333', extra: '86' });
    expect(await client.getLinkInfo({ type: 'ding', identity: 'union-3' })).toMatchObject({
      user_id: 'dt_3',
      authentication_type: 'ding',
      identity: 'union-3',
    });
    const links = await client.getLinkInfoByUserId('dt_3');
    expect(links.map((l) => [l.authentication_type, l.identity, l.extra])).toEqual([
      ['ding', 'union-3', ''],
      ['mobile', '13900003333', '86'],
    ]);
    await client.unlink({ user_id: 'dt_3', type: 'ding', identity: 'union-3' });
    expect(isNotFound(await failureOf(client.getLinkInfo({ type: 'ding', identity: 'union-3' })))).toBe(true);
  });

  it('counts every call per path and writes apart (CallStats)', async () => {
    const client = h.client();
    await client.createUser({ user_id: 'dt_4' });
    await client.getUser('dt_4');
    await client.updateUser({ user_id: 'dt_4', nick_name: 'x' });
    await client.link({ user_id: 'dt_4', type: 'ding', identity: 'union-4' });
    expect(client.stats.calls()).toEqual({
      '/v2/account/link': 1,
      '/v2/oauth/token': 1,
      '/v2/user/create': 1,
      '/v2/user/get': 1,
      '/v2/user/update': 1,
    });
    expect(client.stats.writes()).toEqual({
      '/v2/account/link': 1,
      '/v2/user/create': 1,
      '/v2/user/update': 1,
    });
    expect(h.sim.control.counters().writes).toEqual(client.stats.writes());
  });

  it('the client has no delete calls', () => {
    const client: PdsApi = h.client();
    const methods = [...Object.keys(client), ...Object.getOwnPropertyNames(Object.getPrototypeOf(client))];
    expect(methods).toEqual(expect.arrayContaining(['createUser', 'updateUser', 'addMember', 'link']));
    expect(methods.filter((m) => /delete/i.test(m))).toEqual([]);
  });

  it('a create beyond the domain user quota is a typed QuotaExhausted error', async () => {
    const client = h.client();
    const have = h.sim.control.state().users.length;
    for (let i = have; i < 50; i++) await client.createUser({ user_id: `fill_${i}` });
    const err = await failureOf(client.createUser({ user_id: 'one_too_many' }));
    expect(err).toMatchObject({
      code: 'QuotaExhausted',
      httpStatus: 400,
      permanent: false,
      retryable: false,
    });
  });

  it('adding a member twice answers 409, surfaced as the typed AlreadyExist error', async () => {
    const client = h.client();
    const g = await client.createGroup({ group_name: 'Twice', is_root: true });
    await client.addMember(g.group_id, 'user', 'dt_4');
    const err = await failureOf(client.addMember(g.group_id, 'user', 'dt_4'));
    expect(isAlreadyExist(err)).toBe(true);
  });

  it('a create answered 201 (the older API generation) is a success too', async () => {
    const fake = await startFakePds((path, body) =>
      path === '/v2/user/create'
        ? {
            status: 201,
            body: { user_id: body.user_id, status: 'enabled', created_at: '2021-12-17T17:36:19.768Z' },
          }
        : { status: 404, body: { code: 'NotFound', message: 'no' } },
    );
    try {
      const user = await h.client({ pds: { baseUrl: fake.url } }).createUser({ user_id: 'old_api' });
      // ISO timestamps of the older API are read as epoch milliseconds (tolerant reading).
      expect(user).toMatchObject({ user_id: 'old_api', status: 'enabled', created_at: 1639762579768 });
    } finally {
      await fake.close();
    }
  });

  it("the caller's AbortSignal cancels a call: it rejects with the signal's reason and sends nothing", async () => {
    const client = h.client();
    await client.getUser('dt_1'); // a token first
    h.sim.control.resetCounters();
    const ac = new AbortController();
    ac.abort(new Error('run cancelled'));
    await expect(client.getUser('dt_1', ac.signal)).rejects.toThrow('run cancelled');
    expect(h.sim.control.counters().calls).toEqual({});
  });

  it('an abort while the simulator is slow cancels the request in flight', async () => {
    const client = h.client();
    await client.getUser('dt_1');
    h.sim.control.setFaults({ latencyMs: 5000 });
    try {
      const ac = new AbortController();
      const pending = client.getUser('dt_1', ac.signal);
      setTimeout(() => ac.abort(new Error('stop now')), 50);
      await expect(pending).rejects.toThrow('stop now');
    } finally {
      h.sim.control.setFaults({ latencyMs: 0 });
    }
  });

  it('checkPdsCredentials (for dtsync check) makes one token request and reports role, domain_id and the clock offset', async () => {
    const report = await checkPdsCredentials(
      h.settings(),
      createLogger({ destination: h.logs, level: 'debug' }),
    );
    expect(report).toEqual({
      domainId: h.sim.domainId,
      configuredDomainId: h.sim.domainId,
      clientId: h.sim.clientId,
      role: 'superadmin',
      status: 'enabled',
      expiresIn: 7200,
      clockOffsetMs: expect.any(Number),
    });
    // one clock on this machine: the Date header's whole seconds apart
    expect(Math.abs(report.clockOffsetMs ?? Infinity)).toBeLessThan(5000);
    expect(h.sim.control.counters().calls).toEqual({ '/v2/oauth/token': 1 });
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { clientFor, rejectionOf, startSimAndClient, type SimAndClient } from '../helpers/dingtalk-harness.js';
import { buildOrg } from '../helpers/org-factory.js';

let open: SimAndClient[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});

async function setup(...args: Parameters<typeof startSimAndClient>): Promise<SimAndClient> {
  const s = await startSimAndClient(...args);
  open.push(s);
  return s;
}

async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push([...page]);
  return out;
}

describe('DingTalkClient', () => {
  it('user/list follows has_more/next_cursor to the last page of a department over 100 people', async () => {
    const { sim, client } = await setup({ org: buildOrg({ 11: 250 }) });
    const pages = await collect(client.listUsers(11));
    expect(pages.map((p) => p.length)).toEqual([100, 100, 52]);
    expect(new Set(pages.flat().map((u) => u.userid)).size).toBe(252);
    expect(sim.control.counters().calls['/topapi/v2/user/list']).toBe(3);
  });

  it('userids stay strings: leading zeros and 18 digits survive', async () => {
    const { client } = await setup({ orgSpec: { seed: 3, users: 30, departments: 3 } });
    const ids = (await collect(client.listUsers(1))).flat().map((u) => u.userid);
    const all = [
      ...ids,
      ...(await collect(client.listUsers((await client.listSubDepartments(1))[0]!.dept_id)))
        .flat()
        .map((u) => u.userid),
    ];
    expect(all.some((id) => /^0\d{16,}$/.test(id))).toBe(true);
    expect(all.some((id) => /^[1-9]\d{17}$/.test(id))).toBe(true);
    for (const id of all) expect(typeof id).toBe('string');
  });

  it.each(['sub_code', 'plain'] as const)(
    'a missing API permission (%s form) fails fast naming the permission, and is not retried',
    async (form) => {
      const { sim, client } = await setup({
        faults: { missingApiPermissions: ['qyapi_get_department_list'], permissionErrorForm: form },
      });
      const err = (await rejectionOf(client.listSubDepartments(1))) as DingTalkError;
      expect(err).toBeInstanceOf(DingTalkError);
      expect(err).toMatchObject({
        kind: 'permission',
        code: '60011',
        permanent: true,
        retryable: false,
        permission: 'qyapi_get_department_list',
        path: '/topapi/v2/department/listsub',
        service: 'dingtalk',
      });
      expect(err.message).toContain('qyapi_get_department_list');
      expect(sim.control.counters().calls['/topapi/v2/department/listsub']).toBe(1);
    },
  );

  it.each([
    ['not_json', /the body is not JSON/],
    ['not_envelope', /not a DingTalk envelope \(errcode: /],
    ['wrong_shape', /result: /],
  ] as const)(
    'a malformed answer (%s) is retried quickly a bounded number of times, then is a permanent error naming the path and the fault',
    async (kind, fault) => {
      const { sim, client } = await setup({
        faults: { malformedPaths: ['/topapi/v2/user/list'], malformedKind: kind },
      });
      const err = (await rejectionOf(collect(client.listUsers(1)))) as DingTalkError;
      expect(err).toBeInstanceOf(DingTalkError);
      expect(err).toMatchObject({
        kind: 'malformed',
        path: '/topapi/v2/user/list',
        code: 'malformed_response',
        permanent: true,
        retryable: true,
        attempts: 3,
      });
      expect(err.message).toMatch(/\/topapi\/v2\/user\/list with a malformed body after 3 attempts: /);
      expect(err.message).toMatch(fault);
      expect(sim.control.counters().calls['/topapi/v2/user/list']).toBe(3);
    },
  );

  it('a malformed answer that clears on the next try is retried and the listing is whole', async () => {
    const { sim, client } = await setup({
      org: buildOrg({ 11: 150 }),
      faults: { malformedPaths: ['/topapi/v2/user/list'], malformedKind: 'not_json', malformedTimes: 1 },
    });
    const pages = await collect(client.listUsers(11));
    expect(pages.map((p) => p.length)).toEqual([100, 52]);
    expect(sim.control.counters().calls['/topapi/v2/user/list']).toBe(3);
    expect(sim.control.faults().malformedTimes).toBe(0);
  });

  it('a user/list page whose next_cursor does not advance is a malformed answer: retried quickly, then permanent', async () => {
    let listCalls = 0;
    // a loopback DingTalk whose user/list promises more but hands back the same cursor
    const server = createServer((req, res) => {
      const token = req.url?.startsWith('/gettoken') === true;
      if (!token) listCalls++;
      const answer = token
        ? { errcode: 0, errmsg: 'ok', access_token: 'tok', expires_in: 7200 }
        : { errcode: 0, errmsg: 'ok', result: { has_more: true, next_cursor: 0, list: [] } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { client } = clientFor({ url, appKey: 'k', appSecret: 's' });
      const err = (await rejectionOf(collect(client.listUsers(1)))) as DingTalkError;
      expect(err).toMatchObject({
        kind: 'malformed',
        path: '/topapi/v2/user/list',
        permanent: true,
        attempts: 3,
      });
      expect(err.message).toMatch(/next_cursor: does not advance/);
      expect(listCalls).toBe(3);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });

  it('system busy (-1) is retried at most 3 times, then is an error', async () => {
    const { sim, client } = await setup({ org: buildOrg(), faults: { failUserListDepts: [11] } });
    const err = (await rejectionOf(collect(client.listUsers(11)))) as DingTalkError;
    expect(err).toMatchObject({ kind: 'busy', code: '-1', attempts: 4, permanent: false, retryable: true });
    expect(sim.control.counters().calls['/topapi/v2/user/list']).toBe(4);
  });

  it('5xx is retried with backoff and the call succeeds once DingTalk recovers', async () => {
    const { sim, client } = await setup(
      { faults: { serverErrorRate: 1, faultPaths: ['/topapi/v2/department/get'] } },
      { retryBaseMs: 20 },
    );
    await client.authenticate();
    const pending = client.getDepartment(1);
    // recover while the client is backing off
    const recover = setInterval(() => {
      if ((sim.control.counters().calls['/topapi/v2/department/get'] ?? 0) >= 2) {
        sim.control.setFaults({ serverErrorRate: 0 });
        clearInterval(recover);
      }
    }, 1);
    await expect(pending).resolves.toMatchObject({ dept_id: 1 });
    clearInterval(recover);
    expect(sim.control.counters().calls['/topapi/v2/department/get']).toBeGreaterThanOrEqual(3);
  });

  it('5xx that never ends becomes an error after bounded retries', async () => {
    const { sim, client } = await setup({
      faults: { serverErrorRate: 1, faultPaths: ['/topapi/v2/department/get'] },
    });
    const err = (await rejectionOf(client.getDepartment(1))) as DingTalkError;
    expect(err).toMatchObject({
      kind: 'server',
      code: 'http_503',
      httpStatus: 503,
      attempts: 5,
      permanent: false,
      retryable: true,
    });
    expect(sim.control.counters().calls['/topapi/v2/department/get']).toBe(5);
  });

  it('a QPS throttle (88/90018) waits at least 1 s and retries until the call goes through', async () => {
    const { sim, client } = await setup(
      { faults: { qpsByPath: { '/topapi/v2/department/listsub': 2 } } },
      { retryBaseMs: 1000 },
    );
    await client.authenticate();
    const results = await Promise.all([1, 2, 3, 4].map(() => client.listSubDepartments(1)));
    expect(results.every((r) => r.length > 0)).toBe(true);
    const c = sim.control.counters();
    expect(c.throttled['/topapi/v2/department/listsub']).toBeGreaterThan(0);
    expect(c.calls['/topapi/v2/department/listsub']).toBe(4 + c.throttled['/topapi/v2/department/listsub']!);
  });

  it('a throttle that exhausts its retries is an error too', async () => {
    const { sim, client } = await setup({ faults: { qpsByPath: { '/topapi/v2/department/get': 0.001 } } });
    await client.getDepartment(1);
    const err = (await rejectionOf(client.getDepartment(1))) as DingTalkError;
    expect(err).toMatchObject({
      kind: 'throttled',
      code: '90018',
      attempts: 8,
      permanent: false,
      retryable: true,
    });
    expect(sim.control.counters().throttled['/topapi/v2/department/get']).toBe(8);
  });

  it('scope errors (50004) are permanent and not retried', async () => {
    const { sim, client } = await setup({ org: buildOrg(), faults: { authedDept: [10] } });
    const err = (await rejectionOf(collect(client.listUsers(20)))) as DingTalkError;
    expect(err).toMatchObject({ kind: 'scope', code: '50004', permanent: true, retryable: false });
    expect(sim.control.counters().calls['/topapi/v2/user/list']).toBe(1);
  });

  it('a cancelled job stops: the signal aborts the call in flight', async () => {
    const { client } = await setup({ faults: { latencyMs: 5000 } });
    const ac = new AbortController();
    const pending = client.countUsers(ac.signal);
    ac.abort(new Error('job cancelled'));
    await expect(pending).rejects.toThrow('job cancelled');
  });

  it('user/count asks for only_active false and counts the whole organisation', async () => {
    const { sim, client } = await setup({ orgSpec: { seed: 2, users: 123, departments: 5 } });
    await expect(client.countUsers()).resolves.toBe(123);
    expect(sim.control.counters().calls['/topapi/user/count']).toBe(1);
  });

  it('auth/scopes reports the authorised fields and the authorised scope', async () => {
    const { client } = await setup({
      org: buildOrg(),
      faults: { missingFieldPermissions: ['personal'], authedDept: [10], authedUser: ['u20-0'] },
    });
    const scopes = await client.authScopes();
    expect(scopes.userFields).toContain('mobile');
    expect(scopes.userFields).not.toContain('email');
    expect(scopes.userFields).not.toContain('org_email');
    expect(scopes).toMatchObject({ authedDepartments: [10], authedUsers: ['u20-0'] });
  });

  it('every call is counted per API path and logged at debug with path, duration and errcode', async () => {
    const { client, stats, logs } = await setup({ org: buildOrg() });
    await client.getDepartment(10);
    await client.getDepartment(11);
    expect(stats.calls()).toEqual({ '/gettoken': 1, '/topapi/v2/department/get': 2 });
    const lines = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const calls = lines.filter((l) => l.msg === 'dingtalk call');
    expect(calls).toHaveLength(3);
    for (const l of calls) {
      expect(l).toMatchObject({ level: 20, path: expect.any(String), ms: expect.any(Number), errcode: '0' });
    }
  });
});

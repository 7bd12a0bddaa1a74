import { afterEach, describe, expect, it } from '@jest/globals';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../../sim/dingtalk/server.js';
import { buildOrg, user } from '../../helpers/org-factory.js';
import { SimHttp } from '../../helpers/dingtalk-sim-http.js';
import { UNCLEAN_DEPARTMENTS, UNCLEAN_USERS, uncleanOrg } from '../../helpers/unclean-names.js';

let sims: DingTalkSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(...args: Parameters<typeof startDingTalkSimulator>): Promise<SimHttp> {
  const sim = await startDingTalkSimulator(...args);
  sims.push(sim);
  return new SimHttp(sim);
}

const LIST = '/topapi/v2/user/list';
const page = (over: Record<string, unknown> = {}) => ({ dept_id: 1, cursor: 0, size: 100, ...over });

describe('DingTalk simulator: wire formats', () => {
  it('gettoken answers the documented envelope and the same token while it is valid', async () => {
    const h = await start();
    const a = await h.getJson(
      `/gettoken?appkey=${h.sim.appKey}&appsecret=${encodeURIComponent(h.sim.appSecret)}`,
    );
    expect(a).toEqual({ errcode: 0, access_token: expect.any(String), errmsg: 'ok', expires_in: 7200 });
    expect(await h.token()).toBe(a.access_token);
  });

  it('bad credentials: gettoken is HTTP 200 + 40089; v1.0 accessToken is HTTP 400 invalidClientIdOrSecret', async () => {
    const h = await start();
    const legacy = await h.get(`/gettoken?appkey=${h.sim.appKey}&appsecret=nope`);
    expect(legacy).toMatchObject({
      status: 200,
      body: { errcode: 40089, errmsg: '不合法的corpId或corpSecret' },
    });
    const v1 = await h.post('/v1.0/oauth2/accessToken', { appKey: h.sim.appKey, appSecret: 'nope' });
    expect(v1).toEqual({
      status: 400,
      body: {
        requestid: expect.any(String),
        code: 'invalidClientIdOrSecret',
        message: '无效的clientId或者clientSecret',
      },
    });
  });

  it('v1.0 accessToken answers {accessToken, expireIn} for a JSON body', async () => {
    const h = await start({ faults: { tokenTtlSeconds: 60 } });
    const r = await h.post('/v1.0/oauth2/accessToken', { appKey: h.sim.appKey, appSecret: h.sim.appSecret });
    expect(r).toEqual({ status: 200, body: { accessToken: expect.any(String), expireIn: 60 } });
  });

  it('a missing, unknown or expired token is refused: 40014 / 42001, or 88 + sub_code 40014', async () => {
    const h = await start();
    expect(await h.topapi('/topapi/user/count', { only_active: false }, 'bogus')).toMatchObject({
      errcode: 40014,
    });
    expect((await h.post('/topapi/user/count', { only_active: false })).body).toMatchObject({
      errcode: 40014,
    });
    const token = await h.token();
    h.sim.control.setFaults({ expireTokensNow: true });
    expect(await h.topapi('/topapi/user/count', { only_active: false }, token)).toMatchObject({
      errcode: 42001,
    });
    h.sim.control.setFaults({ tokenErrorForm: 'sub_code' });
    expect(await h.topapi('/topapi/user/count', { only_active: false }, token)).toMatchObject({
      errcode: 88,
      sub_code: '40014',
    });
    // a new token is issued once the old one expired
    expect(await h.token()).not.toBe(token);
  });

  it('v2/user/list validates size 1-100, cursor >= 0, dept_id >= 1 and required parameters', async () => {
    const h = await start({ org: buildOrg() });
    const t = await h.token();
    const code = async (body: unknown) => (await h.topapi(LIST, body, t)).errcode;
    expect(await code(page({ size: 0 }))).toBe(400002);
    expect(await code(page({ size: 101 }))).toBe(400002);
    expect(await code(page({ cursor: -1 }))).toBe(400002);
    expect(await code(page({ dept_id: 0 }))).toBe(400002);
    expect(await code(page({ dept_id: -7 }))).toBe(400002);
    expect(await code(page({ order_field: 'name' }))).toBe(400002);
    expect(await code({ dept_id: 1, cursor: 0 })).toBe(40035);
    expect(await code(page({ dept_id: 999 }))).toBe(60003);
    expect(await code(page({ size: 1 }))).toBe(0);
    expect(await code(page({ size: 100, order_field: 'entry_asc' }))).toBe(0);
  });

  it('v2/user/list pages with has_more/next_cursor in real wire types; empty fields are absent', async () => {
    const org = buildOrg({ 11: 250 });
    const bare = user('7001', [12], { mobile: undefined, state_code: undefined, email: undefined });
    const h = await start({ org: { ...org, users: [...org.users, bare] } });
    const t = await h.token();
    const first = await h.topapi(LIST, page({ dept_id: 11 }), t);
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', request_id: expect.any(String) });
    const r1 = first.result as { has_more: boolean; next_cursor: number; list: Record<string, unknown>[] };
    expect(r1.has_more).toBe(true);
    expect(r1.next_cursor).toBe(100);
    expect(r1.list).toHaveLength(100);
    const u = r1.list[0]!;
    expect(typeof u.userid).toBe('string');
    expect(
      Array.isArray(u.dept_id_list) && (u.dept_id_list as unknown[]).every((x) => typeof x === 'number'),
    ).toBe(true);
    expect(typeof u.active).toBe('boolean');
    expect(typeof u.admin).toBe('boolean');
    const last = (await h.topapi(LIST, page({ dept_id: 11, cursor: 200 }), t)).result as Record<
      string,
      unknown
    >;
    expect(last.has_more).toBe(false);
    expect('next_cursor' in last).toBe(false);
    expect(last.list).toHaveLength(52);
    const leaf = (await h.topapi(LIST, page({ dept_id: 12 }), t)).result as {
      list: Record<string, unknown>[];
    };
    const wire = leaf.list.find((x) => x.userid === '7001')!;
    expect(Object.keys(wire)).not.toEqual(expect.arrayContaining(['mobile']));
    expect('email' in wire || 'state_code' in wire).toBe(false);
  });

  it('listsub and listsubid of the root include the home-school department -7; listsub(-7) is refused', async () => {
    const h = await start({ org: buildOrg() });
    const t = await h.token();
    const sub = (await h.topapi('/topapi/v2/department/listsub', { dept_id: 1 }, t)).result as {
      dept_id: number;
    }[];
    expect(sub.map((d) => d.dept_id)).toEqual([10, 20, -7]);
    expect(sub[0]).toEqual({
      auto_add_user: true,
      create_dept_group: true,
      dept_id: 10,
      name: '研发部',
      parent_id: 1,
    });
    const ids = (await h.topapi('/topapi/v2/department/listsubid', { dept_id: 1 }, t)).result;
    expect(ids).toEqual({ dept_id_list: [10, 20, -7] });
    expect(await h.topapi('/topapi/v2/department/listsub', { dept_id: -7 }, t)).toMatchObject({
      errcode: 400002,
    });
    // dept_id defaults to the root
    expect(((await h.topapi('/topapi/v2/department/listsub', {}, t)).result as unknown[]).length).toBe(3);
  });

  it('department/get returns the record with member counts; the root has no parent_id', async () => {
    const h = await start({ org: buildOrg() });
    const t = await h.token();
    const root = (await h.topapi('/topapi/v2/department/get', { dept_id: 1 }, t)).result as Record<
      string,
      unknown
    >;
    expect(root).toMatchObject({ dept_id: 1, name: '公司' });
    expect('parent_id' in root).toBe(false);
    const d = (await h.topapi('/topapi/v2/department/get', { dept_id: 11 }, t)).result;
    expect(d).toMatchObject({
      dept_id: 11,
      name: '前端组',
      parent_id: 10,
      owning_member_count: 5,
      member_count: 7,
    });
  });

  it('a QPS limit answers 88 + sub_code 90018 over any sliding second; throttled calls are counted in calls too', async () => {
    const h = await start({ qps: 3 });
    const t = await h.token();
    const bodies = await Promise.all(
      Array.from({ length: 6 }, () => h.topapi('/topapi/user/count', { only_active: false }, t)),
    );
    const throttled = bodies.filter((b) => b.errcode === 88);
    expect(throttled).toHaveLength(3);
    expect(throttled[0]).toMatchObject({
      sub_code: '90018',
      sub_msg: expect.any(String),
      errmsg: expect.stringContaining('subcode=90018'),
    });
    const c = h.sim.control.counters();
    expect(c.calls['/topapi/user/count']).toBe(6);
    expect(c.throttled['/topapi/user/count']).toBe(3);
    expect(c.busiestSecondByPath['/topapi/user/count']).toBe(6);
    // throttled on DingTalk's errcode, on an HTTP 200
    expect(c.byStatus['/topapi/user/count']).toEqual({ '200': 6 });
  });

  it('partial scope: 50004 / 50002 outside it; listsubid and user/count ignore it; auth/scopes lists it', async () => {
    const org = buildOrg();
    const h = await start({ org, faults: { authedDept: [10], authedUser: ['u20-0'] } });
    const t = await h.token();
    expect(await h.getJson(`/auth/scopes?access_token=${t}`)).toMatchObject({
      errcode: 0,
      auth_org_scopes: { authed_dept: [10], authed_user: ['u20-0'] },
    });
    expect(await h.topapi(LIST, page({ dept_id: 20 }), t)).toMatchObject({ errcode: 50004 });
    expect(await h.topapi(LIST, page({ dept_id: 12 }), t)).toMatchObject({ errcode: 0 });
    expect(await h.topapi('/topapi/v2/department/listsub', { dept_id: 1 }, t)).toMatchObject({
      errcode: 50004,
    });
    expect(await h.topapi('/topapi/v2/department/get', { dept_id: 21 }, t)).toMatchObject({ errcode: 50004 });
    expect(await h.topapi('/topapi/v2/user/get', { userid: 'u21-0' }, t)).toMatchObject({ errcode: 50002 });
    expect(await h.topapi('/topapi/v2/user/get', { userid: 'u20-0' }, t)).toMatchObject({ errcode: 0 });
    expect(await h.topapi('/topapi/v2/department/listsubid', { dept_id: 1 }, t)).toMatchObject({
      errcode: 0,
    });
    expect(await h.topapi('/topapi/user/count', { only_active: false }, t)).toMatchObject({
      result: { count: org.users.length },
    });
  });

  it('a missing API permission answers 88 + 60011 naming it in sub_msg, or the older plain 60011', async () => {
    const h = await start({ faults: { missingApiPermissions: ['qyapi_get_department_list'] } });
    const t = await h.token();
    const r = await h.topapi('/topapi/v2/department/listsub', { dept_id: 1 }, t);
    expect(r).toMatchObject({ errcode: 88, sub_code: '60011' });
    expect(r.sub_msg).toContain('{requiredScopes=[qyapi_get_department_list]}');
    expect(r.errmsg).toMatch(/^ding talk error\[subcode=60011,submsg=/);
    h.sim.control.setFaults({ permissionErrorForm: 'plain' });
    expect(await h.topapi('/topapi/v2/department/get', { dept_id: 1 }, t)).toMatchObject({
      errcode: 60011,
      errmsg: expect.stringContaining('qyapi_get_department_list'),
    });
    // user APIs need another permission
    expect(await h.topapi(LIST, page(), t)).toMatchObject({ errcode: 0 });
  });

  it('a missing field permission drops the fields from payloads and from auth_user_field', async () => {
    const h = await start({ org: buildOrg(), faults: { missingFieldPermissions: ['personal'] } });
    const t = await h.token();
    const scopes = await h.getJson(`/auth/scopes?access_token=${t}`);
    expect(scopes.auth_user_field).toEqual(expect.arrayContaining(['name', 'mobile', 'state_code']));
    expect(scopes.auth_user_field).not.toEqual(expect.arrayContaining(['email']));
    expect(scopes.auth_user_field).not.toEqual(expect.arrayContaining(['org_email']));
    const got = (await h.topapi('/topapi/v2/user/get', { userid: 'u10-0' }, t)).result as Record<
      string,
      unknown
    >;
    expect(got.mobile).toBeDefined();
    expect('email' in got).toBe(false);
  });

  it('user/count requires only_active (40035); listsimple answers 40069/40068; user/get 33012/60121', async () => {
    const h = await start({ org: buildOrg() });
    const t = await h.token();
    expect(await h.topapi('/topapi/user/count', {}, t)).toMatchObject({ errcode: 40035 });
    expect(await h.topapi('/topapi/user/listsimple', page({ size: 101 }), t)).toMatchObject({
      errcode: 40069,
    });
    expect(await h.topapi('/topapi/user/listsimple', page({ cursor: -5 }), t)).toMatchObject({
      errcode: 40068,
    });
    expect(await h.topapi('/topapi/user/listsimple', page({ dept_id: 10 }), t)).toMatchObject({
      result: {
        has_more: false,
        list: [
          { userid: 'u10-0', name: '员工u10-0' },
          { userid: 'u10-1', name: '员工u10-1' },
        ],
      },
    });
    expect(await h.topapi('/topapi/v2/user/get', { userid: '' }, t)).toMatchObject({ errcode: 33012 });
    expect(await h.topapi('/topapi/v2/user/get', { userid: 'nobody' }, t)).toMatchObject({ errcode: 60121 });
  });

  it('empLeaveRecords lists leavers on the new-API envelope; maxResults over 50 and a bad token are refused', async () => {
    const h = await start({ org: buildOrg() });
    const since = new Date(Date.now() - 60_000).toISOString();
    h.sim.control.mutate({ op: 'leave', userid: 'u10-0' });
    h.sim.control.mutate({ op: 'leave', userid: 'u10-1' });
    const headers = { 'x-acs-dingtalk-access-token': await h.token() };
    const p1 = await h.get(`/v1.0/contact/empLeaveRecords?startTime=${since}&maxResults=1`, headers);
    expect(p1.status).toBe(200);
    expect(p1.body).toEqual({
      nextToken: '1',
      records: [
        {
          userId: 'u10-0',
          name: '员工u10-0',
          stateCode: '86',
          mobile: expect.any(String),
          leaveTime: expect.any(String),
          leaveReason: expect.any(String),
        },
      ],
    });
    const p2 = await h.get(
      `/v1.0/contact/empLeaveRecords?startTime=${since}&maxResults=1&nextToken=1`,
      headers,
    );
    expect(p2.body).toEqual({ records: [expect.objectContaining({ userId: 'u10-1' })] });
    const tooMany = await h.get(`/v1.0/contact/empLeaveRecords?startTime=${since}&maxResults=51`, headers);
    expect(tooMany).toMatchObject({ status: 400, body: { code: 'InvalidParameter' } });
    const noToken = await h.get(`/v1.0/contact/empLeaveRecords?startTime=${since}`);
    expect(noToken.status).toBe(401);
  });

  it('rate faults: busyRate answers -1, serverErrorRate an HTML 503, limited to faultPaths', async () => {
    const h = await start({ faults: { busyRate: 1, faultPaths: ['/topapi/user/count'] } });
    const t = await h.token();
    expect(await h.topapi('/topapi/user/count', { only_active: false }, t)).toMatchObject({ errcode: -1 });
    h.sim.control.setFaults({ busyRate: 0, serverErrorRate: 1 });
    const res = await fetch(`${h.sim.url}/topapi/user/count?access_token=${t}`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    await res.text();
  });

  it('counters, faults and org are readable and switchable over HTTP under /_sim/', async () => {
    const h = await start({ org: buildOrg() });
    await h.token();
    await h.get('/auth/scopes');
    const counters = await h.getJson('/_sim/counters');
    // the one shape of both simulators' counters (sim/counters.ts)
    expect(counters).toEqual({
      calls: { '/auth/scopes': 1, '/gettoken': 1 },
      writes: {},
      throttled: {},
      byStatus: { '/auth/scopes': { '200': 1 }, '/gettoken': { '200': 1 } },
      busiestSecond: expect.any(Number),
      busiestSecondByPath: { '/auth/scopes': 1, '/gettoken': 1 },
    });
    expect((await h.post('/_sim/counters/reset', {})).body).toEqual({
      calls: {},
      writes: {},
      throttled: {},
      byStatus: {},
      busiestSecond: 0,
      busiestSecondByPath: {},
    });
    const merged = await h.post('/_sim/faults', { qps: 5, missingFieldPermissions: ['phone'] });
    expect(merged.body).toMatchObject({ qps: 5, missingFieldPermissions: ['phone'], busyRate: 0 });
    expect(await h.getJson('/_sim/faults')).toMatchObject({ qps: 5, missingFieldPermissions: ['phone'] });
    expect((await h.post('/_sim/faults', { qps: 'fast' })).status).toBe(400);
    const org = await h.getJson('/_sim/org');
    expect((org.departments as unknown[]).length).toBe(8);
    expect((org.departments as unknown[])[1]).toEqual({ dept_id: 10, name: '研发部', parent_id: 1 });
    expect((org.users as Record<string, unknown>[])[0]).toMatchObject({ userid: 'u1-0', dept_id_list: [1] });
  });

  it('names go out as stored, JSON-escaped: control characters and an unpaired surrogate as \\u escapes', async () => {
    const h = await start({ org: uncleanOrg() });
    const t = await h.token();
    const raw = async (path: string, body: unknown): Promise<string> =>
      (
        await fetch(`${h.sim.url}${path}?access_token=${t}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).text();

    const users = await raw(LIST, page({ dept_id: 13 }));
    expect(users).toContain('陈\\ud83d七');
    expect(users).toContain('\\u0000 孙\\t');
    // no raw control character on the wire: JSON escapes every one
    expect(
      Array.from({ length: users.length }, (_, i) => users.charCodeAt(i)).filter((c) => c < 0x20),
    ).toEqual([]);
    const listed = (JSON.parse(users) as { result: { list: { userid: string; name: string }[] } }).result
      .list;
    const named = listed.filter((u) => UNCLEAN_USERS[u.userid] !== undefined);
    expect(named.map((u) => u.userid)).toEqual(['u13-0', 'u13-1']);
    for (const u of named) expect(u.name).toBe(UNCLEAN_USERS[u.userid]?.[0]);

    const subs = JSON.parse(await raw('/topapi/v2/department/listsub', { dept_id: 10 })) as {
      result: { dept_id: number; name: string }[];
    };
    expect(subs.result.map((d) => d.name)).toEqual([11, 13].map((id) => UNCLEAN_DEPARTMENTS[id]?.[0]));
    const root = JSON.parse(await raw('/topapi/v2/department/get', { dept_id: 1 })) as {
      result: { name: string };
    };
    expect(root.result.name).toBe('公司\u0000\r\n');
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../../sim/dingtalk/server.js';
import type { SimOrgData, SimUser } from '../../../sim/dingtalk/org-types.js';
import { buildOrg } from '../../helpers/org-factory.js';
import { SimHttp } from '../../helpers/dingtalk-sim-http.js';

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

async function members(h: SimHttp, deptId: number): Promise<string[]> {
  const r = await h.topapi('/topapi/v2/user/list', { dept_id: deptId, cursor: 0, size: 100 });
  return (r.result as { list: { userid: string }[] }).list.map((u) => u.userid);
}

const orgOf = async (h: SimHttp) => (await h.getJson('/_sim/org')) as unknown as SimOrgData;

describe('DingTalk simulator: org mutations over POST /_sim/org', () => {
  it('hire adds a user to the given departments and says who', async () => {
    const h = await start({ org: buildOrg() });
    const r = await h.post('/_sim/org', {
      op: 'hire',
      dept_id_list: [12, 22],
      user: { name: '新同事', email: null },
    });
    expect(r.status).toBe(200);
    const { userid, user } = r.body as { userid: string; user: SimUser };
    expect(user).toMatchObject({ name: '新同事', dept_id_list: [12, 22] });
    expect(user.email).toBeUndefined();
    expect(await members(h, 12)).toContain(userid);
    expect(await members(h, 22)).toContain(userid);
  });

  it('leave removes the user and records the leave for empLeaveRecords', async () => {
    const h = await start({ org: buildOrg() });
    expect((await h.post('/_sim/org', { op: 'leave', userid: 'u13-0' })).body).toEqual({
      op: 'leave',
      userid: 'u13-0',
    });
    expect(await members(h, 13)).not.toContain('u13-0');
    expect(await h.topapi('/topapi/v2/user/get', { userid: 'u13-0' })).toMatchObject({ errcode: 60121 });
    expect(h.sim.control.org().users.some((u) => u.userid === 'u13-0')).toBe(false);
  });

  it('moveUser replaces dept_id_list and user/list follows', async () => {
    const h = await start({ org: buildOrg() });
    const r = await h.post('/_sim/org', { op: 'moveUser', userid: 'u13-0', dept_id_list: [22] });
    expect(r.body).toEqual({ op: 'moveUser', userid: 'u13-0', from: [13], to: [22] });
    expect(await members(h, 13)).not.toContain('u13-0');
    expect(await members(h, 22)).toContain('u13-0');
  });

  it('renameDept renames and listsub shows the new name; a sibling name clash is a 400', async () => {
    const h = await start({ org: buildOrg() });
    expect((await h.post('/_sim/org', { op: 'renameDept', dept_id: 21, name: '华南区' })).body).toEqual({
      op: 'renameDept',
      dept_id: 21,
      from: '华东区',
      to: '华南区',
    });
    const sub = (await h.topapi('/topapi/v2/department/listsub', { dept_id: 20 })).result as {
      name: string;
    }[];
    expect(sub.map((d) => d.name)).toEqual(['华南区', '研发部']);
    expect((await h.post('/_sim/org', { op: 'renameDept', dept_id: 21, name: '研发部' })).status).toBe(400);
  });

  it('setUser sets fields and null removes them (absent on the wire)', async () => {
    const h = await start({ org: buildOrg() });
    await h.post('/_sim/org', {
      op: 'setUser',
      userid: 'u10-0',
      set: { mobile: null, email: 'new@example.com' },
    });
    const u = (await h.topapi('/topapi/v2/user/get', { userid: 'u10-0' })).result as Record<string, unknown>;
    expect('mobile' in u).toBe(false);
    expect(u.email).toBe('new@example.com');
  });

  it('addDept and removeDept; only an empty department can be removed', async () => {
    const h = await start({ org: buildOrg() });
    const added = await h.post('/_sim/org', { op: 'addDept', parent_id: 12, name: '新小组' });
    const dept = (added.body as { dept: { dept_id: number } }).dept;
    expect(added.body).toMatchObject({ op: 'addDept', dept: { name: '新小组', parent_id: 12 } });
    const sub = (await h.topapi('/topapi/v2/department/listsub', { dept_id: 12 })).result as {
      dept_id: number;
    }[];
    expect(sub.map((d) => d.dept_id)).toEqual([dept.dept_id]);
    expect((await h.post('/_sim/org', { op: 'removeDept', dept_id: 12 })).status).toBe(400);
    expect((await h.post('/_sim/org', { op: 'removeDept', dept_id: dept.dept_id })).status).toBe(200);
    expect((await orgOf(h)).departments.some((d) => d.dept_id === dept.dept_id)).toBe(false);
    expect((await h.post('/_sim/org', { op: 'fire' })).status).toBe(400);
  });

  it('churn changes PCT % of the users, a quarter each hired, left, renamed and moved, the same for one seed', async () => {
    const spec = { seed: 5, users: 2000, departments: 50 };
    const a = await start({ orgSpec: spec });
    const b = await start({ orgSpec: spec });
    const before = await orgOf(a);
    const ra = (await a.post('/_sim/org', { op: 'churn', percent: 2, seed: 9 })).body as Record<
      string,
      string[]
    >;
    const rb = (await b.post('/_sim/org', { op: 'churn', percent: 2, seed: 9 })).body as Record<
      string,
      string[]
    >;
    expect(ra).toEqual(rb);
    expect([ra.hired!.length, ra.left!.length, ra.renamed!.length, ra.moved!.length]).toEqual([
      10, 10, 10, 10,
    ]);
    const after = await orgOf(a);
    const byId = new Map(after.users.map((u) => [u.userid, u]));
    const old = new Map(before.users.map((u) => [u.userid, u]));
    for (const id of ra.left!) expect(byId.has(id)).toBe(false);
    for (const id of ra.hired!) expect(old.has(id)).toBe(false);
    for (const id of ra.renamed!) expect(byId.get(id)?.name).not.toBe(old.get(id)?.name);
    for (const id of ra.moved!) expect(byId.get(id)?.dept_id_list).not.toEqual(old.get(id)?.dept_id_list);
    expect(after.users.length).toBe(before.users.length);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { summaryLine } from '../../src/report/report.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/**
 * What a report tells an operator: planned versus applied counts, the people behind held
 * changes, failures and re-entries (named, never with a phone or email), and membership-only
 * changes. Over both simulators and a real Redis.
 */

let env: SimEnv;
let base: Profile;
const org = () => structuredClone(env.dingtalk.control.org());
const deptName = (id: number) => org().departments.find((d) => d.dept_id === id)?.name;
/** Safety off except what a test switches on: these tests are about what the report says. */
const loose = {
  maxDisableCount: 100_000,
  maxDisablePercent: 100,
  maxSourceDropPercent: 100,
  minOverlapPercent: 0,
  holdOnScopeChange: false,
};

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 22, users: 60, departments: 12 } }, name: 'report' });
  base = env.profile({ sync: { safety: loose } });
});

afterAll(async () => {
  await env.close();
});

describe('the run report', () => {
  it("a dry run's report and summary show the planned counts, labelled planned, and write nothing", async () => {
    const r = await env.run(base, { dryRun: true });
    expect(r.status).toBe('succeeded');
    expect(r.counts.created).toBe(0);
    expect(r.planned).toMatchObject({ created: 60, groupsCreated: 12, failed: 0 });
    expect(summaryLine(r)).toContain('planned, nothing written');
    expect(summaryLine(r)).toContain('would create 60');
    expect(env.pds.control.counters().writes).toEqual({});
  });

  it('a real run reports planned and applied counts side by side', async () => {
    const r = await env.run(base);
    expect(r.status).toBe('succeeded');
    expect(r.planned).toMatchObject({ created: 60, groupsCreated: 12 });
    expect(r.counts).toMatchObject({ created: 60, groupsCreated: 12 });
    expect(r.counts.linksAdded).toBe(r.planned?.linksAdded);
  });

  it('membership-only changes are counted, planned and applied', async () => {
    const o = org();
    const mover = o.users.find((u) => u.dept_id_list.length === 1 && u.dept_id_list[0] !== 1);
    const other = o.departments.find((d) => d.dept_id !== 1 && !mover?.dept_id_list.includes(d.dept_id));
    if (mover === undefined || other === undefined) throw new Error('org too small');
    env.dingtalk.control.mutate({ op: 'moveUser', userid: mover.userid, dept_id_list: [other.dept_id] });
    const r = await env.run(base);
    expect(r.planned).toMatchObject({ membershipOnly: 1, updated: 0 });
    expect(r.counts).toMatchObject({
      membershipOnly: 1,
      updated: 0,
      membershipsAdded: 1,
      membershipsRemoved: 1,
    });
    expect(summaryLine(r)).toContain('(1 membership-only)');
  });

  it('held changes name each person: name, DingTalk userid and departments, never a phone or email', async () => {
    const o = org();
    const dept = o.departments.find(
      (d) => d.dept_id !== 1 && o.users.some((u) => u.dept_id_list.includes(d.dept_id)),
    );
    const leavers = o.users.filter((u) => dept !== undefined && u.dept_id_list.includes(dept.dept_id));
    for (const u of leavers) env.dingtalk.control.mutate({ op: 'leave', userid: u.userid });
    const guarded = env.profile({ sync: { safety: { ...loose, maxDisableCount: 0 } } });
    const r = await env.run(guarded);
    expect(r.status).toBe('held');
    const held = r.held?.changes ?? [];
    expect(held.map((c) => c.userid).sort()).toEqual(leavers.map((u) => u.userid).sort());
    for (const c of held) {
      const u = leavers.find((x) => x.userid === c.userid);
      expect(c.person).toEqual({
        userid: c.userid,
        name: u?.name,
        departments: expect.arrayContaining([dept?.name]),
        deptIds: expect.arrayContaining([dept?.dept_id]),
      });
    }
    const text = JSON.stringify(r.held);
    for (const u of leavers) {
      if (u.mobile !== undefined) expect(text).not.toContain(u.mobile);
      if (u.email !== undefined) expect(text).not.toContain(u.email);
    }
  });

  it('a failure names the person and keeps a stable code', async () => {
    const victim = org().users.find((u) => u.mobile !== undefined && u.dept_id_list.length === 1);
    if (victim?.mobile === undefined) throw new Error('nobody with a phone');
    env.pds.control.seed({
      users: [{ user_id: 'by-hand', nick_name: 'By hand', role: 'user', status: 'enabled' }],
      links: [{ user_id: 'by-hand', type: 'mobile', identity: '13700000001', extra: '86' }],
    });
    env.dingtalk.control.mutate({ op: 'setUser', userid: victim.userid, set: { mobile: '13700000001' } });
    const r = await env.run(env.profile({ sync: { safety: { ...loose, maxDisableCount: 100_000 } } }));
    const f = r.failures.find((x) => x.dingtalkUserId === victim.userid);
    expect(f?.code).toMatch(/^AlreadyExist/);
    expect(f?.kind).toBe('phone_taken');
    expect(f?.person).toEqual({
      userid: victim.userid,
      name: victim.name,
      departments: [deptName(victim.dept_id_list[0] ?? 0)],
      deptIds: [victim.dept_id_list[0]],
    });
  });

  it('the re-entry list names who came back and keeps when each first re-entered', async () => {
    const o = org();
    const tops = o.departments.filter((d) => d.parent_id === 1).map((d) => d.dept_id);
    const under = (root: number) => {
      const ids = new Set([root]);
      for (let grew = true; grew;) {
        grew = false;
        for (const d of o.departments)
          if (d.parent_id !== undefined && ids.has(d.parent_id) && !ids.has(d.dept_id))
            grew = ids.add(d.dept_id) !== undefined;
      }
      return ids;
    };
    const [left, ...kept] = tops;
    if (left === undefined || kept.length === 0) throw new Error('org too small');
    const leftIds = under(left);
    const keptIds = new Set(kept.flatMap((k) => [...under(k)]));
    const outside = o.users.filter(
      (u) => u.dept_id_list.some((d) => leftIds.has(d)) && !u.dept_id_list.some((d) => keptIds.has(d)),
    );
    expect(outside.length).toBeGreaterThan(0);
    const narrow = env.profile({
      sync: { scope: { mode: 'departments', departmentIds: kept }, safety: loose },
    });
    expect((await env.run(narrow)).status).not.toBe('failed');
    const back1 = await env.run(base);
    const back2 = await env.run(base);
    const listed = (r: typeof back1) => (r.reentries ?? []).map((p) => p.userid);
    expect(listed(back1)).toEqual(expect.arrayContaining(outside.map((u) => u.userid)));
    expect(back1.counts.reentered).toBe(back1.reentries?.length);
    const u = outside[0];
    expect(back1.reentries?.find((p) => p.userid === u?.userid)).toMatchObject({
      name: u?.name,
      departments: (u?.dept_id_list ?? []).map(deptName),
      since: back1.startedAt,
    });
    // the next run still lists them, since the time they first came back
    expect(back2.reentries?.find((p) => p.userid === u?.userid)?.since).toBe(back1.startedAt);
  });
});

import { describe, expect, it } from '@jest/globals';
import { generateOrg } from '../../../sim/dingtalk/org-generator.js';
import { OrgStore } from '../../../sim/dingtalk/org-store.js';
import type { SimOrgData } from '../../../sim/dingtalk/org-types.js';

function depthOf(org: SimOrgData): number {
  const parent = new Map(org.departments.map((d) => [d.dept_id, d.parent_id]));
  let max = 0;
  for (const d of org.departments) {
    let n = 0;
    for (let p = parent.get(d.dept_id); p !== undefined; p = parent.get(p)) n++;
    max = Math.max(max, n);
  }
  return max;
}

describe('DingTalk simulator: org generator', () => {
  it('the same seed and sizes generate the same org; another seed another one', () => {
    const a = generateOrg({ seed: 42, users: 500, departments: 30 });
    expect(generateOrg({ seed: 42, users: 500, departments: 30 })).toEqual(a);
    expect(generateOrg({ seed: 43, users: 500, departments: 30 })).not.toEqual(a);
  });

  it('has what public syncers broke on: >100-person department, multi-department users, missing mobile/email, numeric userids, Chinese names, one name under two parents, >= 3 levels', () => {
    const org = generateOrg({ seed: 1, users: 2000, departments: 120 });
    expect(org.departments).toHaveLength(120);
    expect(org.users).toHaveLength(2000);
    const members = new Map<number, number>();
    for (const u of org.users) for (const id of u.dept_id_list) members.set(id, (members.get(id) ?? 0) + 1);
    expect(Math.max(...members.values())).toBeGreaterThan(100);
    expect(org.users.some((u) => u.dept_id_list.length > 1)).toBe(true);
    expect(org.users.some((u) => u.mobile === undefined)).toBe(true);
    expect(org.users.some((u) => u.email === undefined)).toBe(true);
    expect(org.users.some((u) => /^0\d{16,}$/.test(u.userid))).toBe(true);
    expect(org.users.some((u) => /^\d{17,}$/.test(u.userid) && !u.userid.startsWith('0'))).toBe(true);
    expect(new Set(org.users.map((u) => u.userid)).size).toBe(2000);
    expect(org.users.every((u) => /^[\u4e00-\u9fa5]{2,3}$/.test(u.name))).toBe(true);
    const parentsByName = new Map<string, Set<number | undefined>>();
    for (const d of org.departments) {
      parentsByName.set(d.name, (parentsByName.get(d.name) ?? new Set()).add(d.parent_id));
    }
    expect([...parentsByName.values()].some((p) => p.size > 1)).toBe(true);
    expect(depthOf(org)).toBeGreaterThanOrEqual(3);
    expect(depthOf(generateOrg({ seed: 1, users: 10, departments: 10, depth: 3 }))).toBe(3);
  });

  it('a small org still has two departments with one name under different parents', () => {
    const org = generateOrg({ seed: 9, users: 5, departments: 4 });
    const names = org.departments.map((d) => d.name);
    expect(new Set(names).size).toBeLessThan(names.length);
  });

  it('100,000 users in 5,000 departments generate and index in seconds, not minutes', () => {
    // the CPU time this process spent, not the wall time: on a loaded machine the wall clock
    // also counts the other processes' turns (29 s of it for a few seconds of work)
    const t0 = process.cpuUsage();
    const org = generateOrg({ seed: 1, users: 100_000, departments: 5000 });
    const store = OrgStore.from(org);
    const used = process.cpuUsage(t0);
    const cpuMs = (used.user + used.system) / 1000;
    expect(store.users.size).toBe(100_000);
    expect(store.departments.size).toBe(5000);
    // generous: a slow 2-core CI machine
    expect(cpuMs).toBeLessThan(20_000);
  });
});

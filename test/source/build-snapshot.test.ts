import { afterEach, describe, expect, it } from '@jest/globals';
import type { Scope } from '../../src/config/schema.js';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { buildSourceSnapshot } from '../../src/source/build-snapshot.js';
import type { ContactsSource } from '../../src/source/contacts-source.js';
import { countScope } from '../../src/source/count-scope.js';
import { rejectionOf, startSimAndClient, type SimAndClient } from '../helpers/dingtalk-harness.js';
import { budgetOf, buildOrg, subtree, user } from '../helpers/org-factory.js';
import { UNCLEAN_DEPARTMENTS, UNCLEAN_USERS, uncleanOrg } from '../helpers/unclean-names.js';

const ALL: Scope = { mode: 'all' };

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

describe('buildSourceSnapshot', () => {
  it('a full walk returns every user once, with merged in-scope departments, in exactly the minimal calls', async () => {
    const { sim, client } = await setup({
      orgSpec: { seed: 7, users: 1200, departments: 60, depth: 4, bigDepartmentSize: 250 },
    });
    const org = sim.control.org();
    const snapshot = await buildSourceSnapshot(client, ALL);

    // the org has what public syncers broke on
    const members = new Map<number, number>();
    for (const u of org.users) for (const id of u.dept_id_list) members.set(id, (members.get(id) ?? 0) + 1);
    expect(Math.max(...members.values())).toBeGreaterThanOrEqual(250);
    expect(org.users.some((u) => u.dept_id_list.length > 1)).toBe(true);

    expect(snapshot.users.size).toBe(org.users.length);
    for (const u of org.users) {
      const got = snapshot.users.get(u.userid);
      expect(got?.deptIds).toEqual([...new Set(u.dept_id_list)].sort((a, b) => a - b));
      expect(got?.name).toBe(u.name);
      expect(got?.mobile).toBe(u.mobile);
      expect(got?.email).toBe(u.email);
      expect(got?.orgEmail).toBe(u.org_email);
      expect(got?.unionid).toBe(u.unionid);
    }
    expect(snapshot.departments.size).toBe(org.departments.length);
    expect(snapshot.roots).toEqual([1]);
    expect(snapshot.departments.get(1)?.parentId).toBeUndefined();
    for (const d of org.departments.filter((x) => x.parent_id !== undefined)) {
      expect(snapshot.departments.get(d.dept_id)).toEqual({
        id: d.dept_id,
        name: d.name,
        parentId: d.parent_id,
      });
    }

    const budget = budgetOf(org, new Set(org.departments.map((d) => d.dept_id)));
    expect(sim.control.counters().calls).toEqual({
      '/gettoken': 1,
      '/auth/scopes': 1,
      '/topapi/v2/department/get': 1,
      '/topapi/v2/department/listsub': budget.listsub,
      '/topapi/v2/user/list': budget.userList,
    });
  });

  it('skips the home-school department (-7) that listsub of the root returns', async () => {
    const { sim, client } = await setup({ org: buildOrg() });
    const snapshot = await buildSourceSnapshot(client, ALL);
    expect(snapshot.departments.has(-7)).toBe(false);
    expect([...snapshot.departments.keys()].every((id) => id >= 1)).toBe(true);
    expect(sim.control.counters().calls['/topapi/v2/department/listsub']).toBe(8);
  });

  it('fetches departments concurrently, never one at a time, and within the bound', async () => {
    const { client } = await setup({
      orgSpec: { seed: 2, users: 300, departments: 40 },
      faults: { latencyMs: 20 },
    });
    let inFlight = 0;
    let peak = 0;
    const counting: ContactsSource = {
      appKey: client.appKey,
      authScopes: (s) => client.authScopes(s),
      getDepartment: (id, s) => client.getDepartment(id, s),
      listSubDepartments: async (id, s) => {
        peak = Math.max(peak, ++inFlight);
        try {
          return await client.listSubDepartments(id, s);
        } finally {
          inFlight--;
        }
      },
      listUsers: (id, s) => client.listUsers(id, s),
      getUser: (id, s) => client.getUser(id, s),
    };
    const snapshot = await buildSourceSnapshot(counting, ALL, { concurrency: 8 });
    expect(snapshot.departments.size).toBe(40);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });

  it('a revoked field permission yields "not_authorised", not empty values', async () => {
    const { sim, client } = await setup({
      org: buildOrg(),
      faults: { missingFieldPermissions: ['phone'] },
    });
    const snapshot = await buildSourceSnapshot(client, ALL);
    expect(snapshot.fields).toEqual({
      mobile: 'not_authorised',
      email: 'authorised',
      orgEmail: 'authorised',
    });
    // DingTalk has their phones; the app just may not read them
    expect(sim.control.org().users.every((u) => u.mobile !== undefined)).toBe(true);
    for (const u of snapshot.users.values()) {
      expect(u.mobile).toBeUndefined();
      expect(u.stateCode).toBeUndefined();
      expect(u.email).toBeDefined();
    }
  });

  it('a partial scope starts from authed_dept and fetches authed_user one by one', async () => {
    const org = buildOrg();
    const outsider = user('0099', [13]);
    const { sim, client } = await setup({
      org: { ...org, users: [...org.users, outsider] },
      faults: { authedDept: [11, 21], authedUser: ['0099'] },
    });
    const snapshot = await buildSourceSnapshot(client, ALL);
    expect(snapshot.roots).toEqual([11, 21]);
    const walked = new Set([...subtree(org, 11), ...subtree(org, 21)]);
    expect(new Set(snapshot.departments.keys())).toEqual(walked);
    const expected = org.users
      .filter((u) => u.dept_id_list.some((id) => walked.has(id)))
      .map((u) => u.userid);
    expect([...snapshot.users.keys()].sort()).toEqual([...expected, '0099'].sort());
    // the individually authorised user keeps only in-scope departments: none
    expect(snapshot.users.get('0099')?.deptIds).toEqual([]);
    // multi-department users are filtered to walked departments
    expect(snapshot.users.get('000000000000000000')?.deptIds).toEqual([11, 21]);
    const budget = budgetOf(org, walked);
    expect(sim.control.counters().calls).toEqual({
      '/gettoken': 1,
      '/auth/scopes': 1,
      '/topapi/v2/department/get': 2,
      '/topapi/v2/department/listsub': budget.listsub,
      '/topapi/v2/user/list': budget.userList,
      '/topapi/v2/user/get': 1,
    });
  });

  it('configured departments are the roots, in config order, and their sub-departments are walked', async () => {
    const org = buildOrg();
    const { client } = await setup({ org });
    const snapshot = await buildSourceSnapshot(client, {
      mode: 'departments',
      departmentIds: [20, 11],
      includeSubDepartments: true,
    });
    expect(snapshot.roots).toEqual([20, 11]);
    expect(new Set(snapshot.departments.keys())).toEqual(new Set([...subtree(org, 20), ...subtree(org, 11)]));
    expect(snapshot.departments.get(11)?.parentId).toBeUndefined();
    expect(snapshot.departments.get(22)).toEqual({ id: 22, name: '研发部', parentId: 20 });
  });

  it('configured departments without sub-departments are not descended', async () => {
    const org = buildOrg();
    const { sim, client } = await setup({ org });
    const snapshot = await buildSourceSnapshot(client, {
      mode: 'departments',
      departmentIds: [10],
      includeSubDepartments: false,
    });
    expect([...snapshot.departments.keys()]).toEqual([10]);
    expect(snapshot.users.size).toBe(2);
    expect(sim.control.counters().calls['/topapi/v2/department/listsub']).toBeUndefined();
  });

  it('a failed department fetch fails the whole snapshot: there is no partial snapshot', async () => {
    const { client } = await setup({ org: buildOrg(), faults: { failUserListDepts: [21] } });
    const err = await rejectionOf(buildSourceSnapshot(client, ALL));
    expect(err).toBeInstanceOf(DingTalkError);
    expect(err).toMatchObject({ kind: 'busy', path: '/topapi/v2/user/list' });
  });

  it('a missing API permission fails the walk naming it, instead of reporting zero users', async () => {
    const { client } = await setup({
      org: buildOrg(),
      faults: { missingApiPermissions: ['qyapi_get_department_member'] },
    });
    const err = await rejectionOf(buildSourceSnapshot(client, ALL));
    expect(err).toMatchObject({ kind: 'permission', permission: 'qyapi_get_department_member' });
  });

  it('an app authorised for nobody is a scope error, never an empty organisation', async () => {
    const { client } = await setup({ org: buildOrg(), faults: { authedDept: [], authedUser: [] } });
    const err = await rejectionOf(buildSourceSnapshot(client, ALL));
    expect(err).toMatchObject({ kind: 'scope', permanent: true, code: 'empty_scope' });
  });

  it('an individually authorised user who resigned (60121) is left out, not an error', async () => {
    const { client } = await setup({ org: buildOrg(), faults: { authedDept: [13], authedUser: ['gone'] } });
    const snapshot = await buildSourceSnapshot(client, ALL);
    expect(snapshot.users.has('gone')).toBe(false);
    expect(snapshot.users.size).toBe(3);
  });

  it('the scope key is stable for one scope and changes with the configured or authorised scope', async () => {
    const { sim, client } = await setup({ org: buildOrg() });
    const a = (await buildSourceSnapshot(client, ALL)).scopeKey;
    expect((await buildSourceSnapshot(client, ALL)).scopeKey).toBe(a);
    const narrowed = await buildSourceSnapshot(client, {
      mode: 'departments',
      departmentIds: [10],
      includeSubDepartments: true,
    });
    expect(narrowed.scopeKey).not.toBe(a);
    sim.control.setFaults({ authedDept: [10, 20] });
    expect((await buildSourceSnapshot(client, ALL)).scopeKey).not.toBe(a);
  });

  it('names are cleaned as the snapshot is built, the same in the listener, with the id for an empty one', async () => {
    const { client } = await setup({ org: uncleanOrg() });
    const heard = new Map<string, string>();
    const snapshot = await buildSourceSnapshot(client, ALL, { onUser: (u) => heard.set(u.userid, u.name) });
    for (const [id, [, clean]] of Object.entries(UNCLEAN_DEPARTMENTS)) {
      expect(snapshot.departments.get(Number(id))?.name).toBe(clean);
    }
    for (const [userid, [, clean]] of Object.entries(UNCLEAN_USERS)) {
      expect(snapshot.users.get(userid)?.name).toBe(clean);
      expect(heard.get(userid)).toBe(clean);
    }
  });

  it('reports progress per listed department and counts the scope for the check command', async () => {
    const { client } = await setup({ org: buildOrg() });
    const progress: number[] = [];
    await buildSourceSnapshot(client, ALL, { onProgress: (p) => progress.push(p.departments) });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await expect(countScope(client, ALL)).resolves.toEqual({ departments: 8, users: 19 });
  });
});

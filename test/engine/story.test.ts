import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import type { Profile } from '../../src/config/schema.js';
import { translator } from '../../src/i18n/catalog.js';
import type { RunReport } from '../../src/report/types.js';
import { heldText, warningText } from '../../src/report/words.js';
import { changeActionSchema } from '../../src/state/action-schema.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { dropPrefix } from '../helpers/redis.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { CHECK } from '../helpers/check.js';
import { storedActions } from '../helpers/stored-actions.js';

/**
 * The sync as a story over both simulators and a real Redis: every check reads the simulators'
 * state and counters, never the engine's own view.
 */

let env: SimEnv;
let base: Profile;
let seeded: Domain;
/** Top-level departments, largest subtree (by users) first. */
let tops: number[] = [];

/** A copy of the simulator's org as it is now (the simulator mutates its own). */
const org = () => structuredClone(env.dingtalk.control.org()) as Org;
const domain = () => env.pds.control.state() as Domain;
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const writes = () => env.pds.control.counters().writes;
const userById = (id: string) => domain().users.find((u) => u.user_id === id);
const pdsIdOf = (userid: string) => `dt_${userid}`;
const mobileLinksOf = (id: string) => domain().links.filter((l) => l.user_id === id && l.type === 'mobile');

let sync3Report: RunReport | undefined;
let sync3Calls: Record<string, number> = {};

/** Every action the story's runs stored, as Redis holds it. */
const actions: unknown[] = [];

/** Runs a sync with fresh PDS counters and returns the report and the writes it made. */
let deleteCalls = 0;
async function sync(
  profile: Profile = base,
  req: Parameters<SimEnv['run']>[1] = {},
): Promise<{ report: RunReport; writes: Record<string, number> }> {
  env.pds.control.resetCounters();
  const report = await env.run(profile, req);
  actions.push(...(await storedActions(env.redis, env.prefix, report.runId)));
  const calls = env.pds.control.counters().calls;
  deleteCalls += (calls['/v2/user/delete'] ?? 0) + (calls['/v2/group/delete'] ?? 0);
  return { report, writes: writes() };
}

/** Departments of the subtree under `root`. */
function subtree(o: Org, root: number): Set<number> {
  const ids = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of o.departments) {
      if (d.parent_id !== undefined && ids.has(d.parent_id) && !ids.has(d.dept_id)) {
        ids.add(d.dept_id);
        grew = true;
      }
    }
  }
  return ids;
}

// each test awaits whole syncs of 1,000 users against simulators in this process: on a loaded
// machine sync 1 outlasted Jest's 60 s default, and the tests after it then met its writes
jest.setTimeout(600_000);

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 5, users: 1000, departments: 60, bigDepartmentSize: 250 } },
    name: 'story',
  });
  base = env.profile();
  env.pds.control.seed({
    users: [
      {
        user_id: 'hand-made-1',
        nick_name: 'Made by hand',
        role: 'user',
        status: 'enabled',
        user_data: { note: 'x' },
      },
      { user_id: 'the-admin', nick_name: 'Admin', role: 'admin', status: 'enabled' },
      { user_id: 'root-admin', nick_name: 'Super', role: 'superadmin', status: 'enabled' },
      {
        user_id: 'dt_other',
        nick_name: 'Other profile',
        role: 'user',
        status: 'enabled',
        user_data: { source: 'dingtalk', dtsync_profile: 'other', dingtalk_userid: 'other' },
      },
    ],
    groups: [
      {
        group_id: 'hand-group',
        group_name: 'Made by hand',
        description: 'not synced',
        is_root: true,
        parent_group_id: null,
      },
    ],
    links: [{ user_id: 'hand-made-1', type: 'mobile', identity: '13000000000', extra: '86' }],
  });
  seeded = env.pds.control.state();
  const o = org();
  const usersUnder = (root: number) => {
    const ids = subtree(o, root);
    return o.users.filter((u) => u.dept_id_list.some((d) => ids.has(d))).length;
  };
  tops = o.departments
    .filter((d) => d.parent_id === 1)
    .map((d) => d.dept_id)
    .sort((a, b) => usersUnder(b) - usersUnder(a));
});

afterAll(async () => {
  await env.close();
});

describe('the sync story', () => {
  it('sync 1 creates the 1,000-user, 60-department org exactly (a 250-user department, multi-department users)', async () => {
    const o = org();
    expect(o.users).toHaveLength(1000);
    expect(o.departments).toHaveLength(60);
    expect(o.users.some((u) => u.dept_id_list.length > 1)).toBe(true);
    const { report, writes: w } = await sync();
    expect(report.status).toBe('succeeded');
    expect(report.counts).toMatchObject({
      created: 1000,
      groupsCreated: 60,
      failed: 0,
      disabled: 0,
      unmanagedSkipped: 4,
    });
    expect(checkDomain(o, domain(), { ...CHECK, seeded })).toEqual([]);
    expect(w['/v2/user/create']).toBe(1000);
    expect(w['/v2/group/create']).toBe(60);
    // the report carries the first 1,000 changes; the run's change log has all 1,060, masked
    expect(report.changes).toHaveLength(1000);
    expect(report.changesTruncated).toBe(true);
    const log = await new RunHistory(env.redis, new StateKeys(env.prefix), 100).changes(report.runId);
    expect(log).toHaveLength(1060);
    expect(log.filter((c) => c.action.type === 'create')).toHaveLength(1000);
    expect(JSON.stringify(log)).not.toMatch(/"1[3-9]\d{9}"/);
  });

  it('sync 2 on an unchanged org makes zero write calls', async () => {
    const { report, writes: w } = await sync();
    expect(report.status).toBe('succeeded');
    expect(w).toEqual({});
    expect(report.counts.unchanged).toBe(1000);
  });

  it('sync 3 after hires, leavers, moves, a department rename and phone changes does exactly those', async () => {
    const o = org();
    const [a, b, c, d, e, f] = o.users
      .filter((u) => u.dept_id_list.length === 1 && u.mobile !== undefined)
      .map((u) => u.userid);
    const c2 = env.dingtalk.control;
    const [t0, t1, t2] = tops as [number, number, number];
    const hires = [
      c2.mutate({ op: 'hire', dept_id_list: [t0] }),
      c2.mutate({ op: 'hire', dept_id_list: [t1], user: { mobile: null } }),
    ];
    c2.mutate({ op: 'leave', userid: a! });
    c2.mutate({ op: 'leave', userid: b! });
    c2.mutate({ op: 'moveUser', userid: c!, dept_id_list: [t1, t2] });
    c2.mutate({ op: 'renameDept', dept_id: t2, name: '新的名字' });
    c2.mutate({ op: 'setUser', userid: d!, set: { mobile: '13912345678' } });
    c2.mutate({ op: 'setUser', userid: e!, set: { mobile: '13912345679' } });
    const { report, writes: w } = await sync();
    sync3Report = report;
    sync3Calls = env.pds.control.counters().calls;
    expect(report.status).toBe('succeeded');
    expect(checkDomain(org(), domain(), { ...CHECK, seeded })).toEqual([]);
    expect(report.counts).toMatchObject({
      created: 2,
      disabled: 2,
      groupsUpdated: 1,
      groupsCreated: 0,
      failed: 0,
    });
    expect(w['/v2/user/create']).toBe(2);
    expect(w['/v2/group/update']).toBe(1);
    expect(w['/v2/user/update']).toBe(4); // two leavers disabled, two phones changed
    expect(w['/v2/account/unlink']).toBe(4); // the two old phones, the two leavers' phone logins
    const hiredWithPhone = hires.filter((h) => h.op === 'hire' && h.user.mobile !== undefined).length;
    expect(w['/v2/account/link']).toBe(2 + hiredWithPhone + 2); // ding links, hire phones, new phones
    const oldDepts = o.users.find((u) => u.userid === c)?.dept_id_list ?? [];
    const moved =
      oldDepts.filter((x) => x !== t1 && x !== t2).length +
      [t1, t2].filter((x) => !oldDepts.includes(x)).length;
    expect(sum(w)).toBe(2 + 1 + 4 + 4 + (2 + hiredWithPhone + 2) + moved + 2); // + memberships of the move, + leavers' groups
    expect(userById(pdsIdOf(a!))?.status).toBe('disabled');
    // both leavers have a leave record: disabled in this run, as having left
    expect(userById(pdsIdOf(a!))?.user_data).toMatchObject({ dtsync_disabled_reason: 'left' });
    expect(userById(pdsIdOf(f!))?.status).toBe('enabled');
    // a leaver's phone login goes with them; the phone stays recorded, for re-entry
    for (const leaver of [a!, b!]) {
      expect(mobileLinksOf(pdsIdOf(leaver))).toEqual([]);
      expect(userById(pdsIdOf(leaver))?.phone).toBe(o.users.find((u) => u.userid === leaver)?.mobile);
    }
  });

  it("sync 3 read the moved and re-phoned users' links once each, during the DingTalk walk, none after it", () => {
    expect(sync3Report?.linkReads).toEqual({ duringWalk: 3, afterWalk: 0 });
    expect(sync3Calls['/v2/account/get_link_info_by_user_id']).toBe(3);
  });

  it('a link read that fails during the walk is read again after it, before the plan, and the run is exact', async () => {
    const [g] = org()
      .users.filter((u) => u.dept_id_list.length === 1 && u.mobile !== undefined)
      .map((u) => u.userid)
      .slice(6);
    env.dingtalk.control.mutate({ op: 'setUser', userid: g!, set: { mobile: '13912345670' } });
    env.pds.control.setFaults({
      inject: { count: 1, paths: ['/v2/account/get_link_info_by_user_id'], status: 403, code: 'Forbidden' },
    });
    try {
      const { report, writes: w } = await sync();
      expect(report.status).toBe('succeeded');
      expect(report.linkReads).toEqual({ duringWalk: 0, afterWalk: 1 });
      expect(w['/v2/account/unlink']).toBe(1);
      expect(checkDomain(org(), domain(), { ...CHECK, seeded })).toEqual([]);
    } finally {
      env.pds.control.setFaults({ inject: null });
    }
  });

  it('a revoked phone permission clears no phone, removes no link, and the report names the permission', async () => {
    env.dingtalk.control.setFaults({ missingFieldPermissions: ['phone'] });
    const before = domain();
    const { report, writes: w } = await sync();
    env.dingtalk.control.setFaults({ missingFieldPermissions: [] });
    expect(report.status).toBe('succeeded');
    expect(w).toEqual({});
    // stored as a code, worded at display time; it names the permission to grant
    expect(report.warnings).toContainEqual({ code: 'mobile_not_authorised', params: {} });
    expect(report.warnings.map((w) => warningText(w, translator('zh-CN'))).join('\n')).toContain(
      '企业员工手机号信息',
    );
    expect(domain().links).toEqual(before.links);
  });

  it('a failed department fetch produces zero writes and fails the run naming the cause', async () => {
    env.dingtalk.control.mutate({ op: 'hire', dept_id_list: [tops[0]!] });
    env.dingtalk.control.setFaults({ failUserListDepts: [tops[0]!] });
    const { report, writes: w } = await sync();
    env.dingtalk.control.setFaults({ failUserListDepts: [] });
    expect(report.status).toBe('failed');
    expect(report.error?.code).toBe('dingtalk:-1');
    expect(w).toEqual({});
    expect((await sync()).report.counts.created).toBe(1); // and the next run catches up
  });

  it('after Redis is wiped, an unchanged org gets zero writes', async () => {
    await dropPrefix(env.redis, env.prefix);
    const { report, writes: w } = await sync();
    expect(report.status).toBe('succeeded');
    expect(w).toEqual({});
  });

  let outside: string[] = [];
  const narrow = () =>
    env.profile({
      sync: {
        scope: { mode: 'departments', departmentIds: [tops[0]!] },
        // an intended narrowing: every gate that would hold it is switched off
        safety: {
          maxSourceDropPercent: 100,
          maxDisablePercent: 100,
          maxDisableCount: 100000,
          holdOnScopeChange: false,
        },
      },
    });

  it('sync 4 after narrowing the scope disables exactly the users outside it', async () => {
    const o = org();
    const inside = subtree(o, tops[0]!);
    outside = o.users.filter((u) => !u.dept_id_list.some((d) => inside.has(d))).map((u) => pdsIdOf(u.userid));
    const enabledBefore = new Set(
      domain()
        .users.filter((u) => u.status === 'enabled')
        .map((u) => String(u.user_id)),
    );
    const { report } = await sync(narrow());
    expect(report.status).toBe('succeeded');
    const d = domain();
    const nowDisabled = d.users
      .filter((u) => u.status === 'disabled' && enabledBefore.has(String(u.user_id)))
      .map((u) => String(u.user_id));
    expect(nowDisabled.sort()).toEqual(outside.filter((id) => enabledBefore.has(id)).sort());
    expect(report.counts.disabled).toBe(nowDisabled.length);
    expect(nowDisabled.flatMap(mobileLinksOf)).toEqual([]);
    // DingTalk still finds them, in none of the departments the narrowed scope walks
    for (const id of nowDisabled) {
      expect(userById(id)?.user_data).toMatchObject({
        dtsync_disabled_by: 'sync',
        dtsync_disabled_reason: 'moved_out',
      });
    }
    expect(d.users.length).toBe(seeded.users.length + 1003); // nobody deleted
  });

  it('a user an admin re-enables while out of scope stays enabled ("kept enabled by an admin")', async () => {
    const target = outside[0]!;
    await env.admin.updateUser({ user_id: target, status: 'enabled' });
    const { report, writes: w } = await sync(narrow());
    expect(userById(target)?.status).toBe('enabled');
    expect(report.counts.keptEnabledByAdmin).toBe(1);
    expect(w).toEqual({});
  });

  it('sync 5 after widening the scope leaves them disabled, restores their groups and reports them', async () => {
    const adminDisabled = domain().users.find(
      (u) =>
        u.status === 'enabled' &&
        !outside.includes(String(u.user_id)) &&
        String(u.user_id).startsWith('dt_') &&
        u.user_id !== 'dt_other',
    )!;
    await env.admin.updateUser({ user_id: String(adminDisabled.user_id), status: 'disabled' });
    const { report } = await sync();
    expect(report.status).toBe('succeeded');
    const stillDisabled = outside.slice(1).filter((id) => userById(id)?.status === 'disabled');
    expect(report.counts.reentered).toBe(stillDisabled.length);
    expect(stillDisabled.length).toBeGreaterThan(0);
    // re-entry restores the phone logins their disable removed
    const phoned = stillDisabled.filter((id) => userById(id)?.phone !== undefined);
    expect(phoned.length).toBeGreaterThan(0);
    for (const id of phoned) expect(mobileLinksOf(id)).toHaveLength(1);
    expect(userById(String(adminDisabled.user_id))?.status).toBe('disabled'); // an admin-disabled user stays disabled
    expect(userById(outside[0]!)?.status).toBe('enabled'); // the admin-enabled one stays enabled
    // memberships are restored: the only violations are the users still disabled
    const v = checkDomain(org(), domain(), { ...CHECK, seeded, maxViolations: 100000 });
    expect(v.every((line) => / status disabled, expected enabled$/.test(line))).toBe(true);
    expect(v).toHaveLength(stillDisabled.length + 1);
  });

  it('hand-made users, admins and another profile’s users are byte-identical afterwards', () => {
    const now = new Map(domain().users.map((u) => [u.user_id, JSON.stringify(u)]));
    for (const u of seeded.users) expect(now.get(u.user_id)).toBe(JSON.stringify(u));
    const groups = new Map(domain().groups.map((g) => [g.group_id, JSON.stringify(g)]));
    for (const g of seeded.groups) expect(groups.get(g.group_id)).toBe(JSON.stringify(g));
  });

  it('a 60 % disable plan is held, then applied on approval', async () => {
    const o = org();
    const keep = subtree(o, tops[2]!);
    const guarded = env.profile({
      sync: {
        scope: { mode: 'departments', departmentIds: [tops[2]!] },
        // both pre-flights off: this is the breaker's story
        safety: { maxSourceDropPercent: 100, minOverlapPercent: 0, holdOnScopeChange: false },
      },
    });
    const managedEnabled = domain().users.filter(
      (u) => u.status === 'enabled' && String(u.user_id).startsWith('dt_') && u.user_id !== 'dt_other',
    );
    const leaving = managedEnabled.filter(
      (u) => !o.users.some((x) => pdsIdOf(x.userid) === u.user_id && x.dept_id_list.some((d) => keep.has(d))),
    );
    expect(leaving.length / managedEnabled.length).toBeGreaterThan(0.6);
    const held = await sync(guarded);
    expect(held.report.status).toBe('held');
    expect(held.report.heldReason).toMatchObject({ code: 'disable_limit', params: { maxPercent: 10 } });
    expect(heldText(held.report.heldReason!, translator('en'))).toMatch(/maxDisablePercent 10%/);
    expect(held.report.held?.changes.filter((c) => c.kind === 'disable')).toHaveLength(leaving.length);
    expect(domain().users.filter((u) => u.status === 'enabled')).toHaveLength(managedEnabled.length + 4); // + seeded users
    const approved = await sync(guarded, { trigger: 'approval', approvedRunId: held.report.runId });
    expect(approved.report.status).toBe('succeeded');
    expect(approved.report.counts.disabled).toBe(
      held.report.held?.changes.filter((c) => c.kind === 'disable').length,
    );
  });

  it('the delete endpoints are never called, in any run of the story', () => {
    expect(deleteCalls).toBe(0);
  });

  it('every action the story stored (reports and change logs) is a member of the one action union', () => {
    const bad = actions.filter((a) => !changeActionSchema.safeParse(a).success);
    expect(bad.slice(0, 5)).toEqual([]);
    const types = new Set(actions.map((a) => changeActionSchema.parse(a).type));
    // every kind of change but adoptions and group leaves of the already disabled (test/plan has those)
    expect([...types].sort()).toEqual([
      'create',
      'createGroup',
      'disable',
      'renameGroup',
      'restore',
      'update',
    ]);
  });
});

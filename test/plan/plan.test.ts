import { describe, expect, it } from '@jest/globals';
import { linksToRead } from '../../src/plan/links-to-read.js';
import type { AbsenceVerdicts } from '../../src/plan/absence.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan, PlanOptions, UserAction } from '../../src/plan/types.js';
import type { SourceSnapshot } from '../../src/source/snapshot.js';
import type { TargetSnapshot } from '../../src/pds-snapshot/snapshot.js';
import {
  buildSource,
  buildTarget,
  dept,
  group,
  link,
  managed,
  options,
  other,
  user,
} from '../helpers/snapshots.js';

interface Row {
  readonly rule: string;
  readonly source: SourceSnapshot;
  readonly target: TargetSnapshot;
  readonly options?: Partial<PlanOptions>;
  /** The confirmed absences read before the plan. */
  readonly absences?: AbsenceVerdicts;
  readonly check: (p: Plan) => void;
}

/** Users planned without their links read: only what a phone change implies. */
const withoutLinks = (p: Plan): string[] =>
  p.users
    .filter((a) => (a.kind === 'update' || a.kind === 'retire') && a.linksUnknown)
    .map((a) => a.pdsUserId);

const only = (p: Plan): UserAction => {
  expect(p.users).toHaveLength(1);
  return p.users[0]!;
};

const phoneUser = user('zs', {
  mobile: '13800005678',
  stateCode: '86',
  email: 'zs@example.com',
  deptIds: [1, 2],
});

/** The disable record an earlier version wrote: its reason in English, not the code of today. */
const ENGLISH_DISABLE = {
  dtsync_disabled_by: 'sync',
  dtsync_disabled_at: '2026-11-01T03:00:00.000Z',
  dtsync_disabled_reason: 'out of scope',
};

const rules: Row[] = [
  {
    rule: 'a user in scope and absent in PDS is created enabled with name, email, phone, memberships, ding and mobile links',
    source: buildSource({ departments: [dept(1, 'Acme'), dept(2, 'Sales', 1)], users: [phoneUser] }),
    target: buildTarget({ groups: [group(1, 'g1', 'Acme'), group(2, 'g2', 'Sales', 'g1')] }),
    check: (p) => {
      expect(only(p)).toEqual({
        kind: 'create',
        userid: 'zs',
        pdsUserId: 'dt_zs',
        fields: { nick_name: 'Name zs', phone: '13800005678', email: 'zs@example.com' },
        userData: {
          source: 'dingtalk',
          dtsync_profile: 'acme',
          dingtalk_userid: 'zs',
          dingtalk_unionid: 'u-zs',
        },
        deptIds: [1, 2],
        linkAdd: [
          { type: 'ding', identity: 'u-zs' },
          { type: 'mobile', identity: '13800005678', extra: '86' },
        ],
      });
    },
  },
  {
    rule: 'an unchanged managed user makes no action and reads no links',
    source: buildSource({ users: [user('a')] }),
    target: buildTarget({ managed: [managed('a')] }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.unchanged).toBe(1);
      expect(withoutLinks(p)).toEqual([]);
    },
  },
  {
    rule: 'only the owned fields that changed are updated',
    source: buildSource({ users: [user('a', { name: 'New Name', email: 'a@x.cn' })] }),
    target: buildTarget({ managed: [managed('a', { email: 'a@x.cn' })] }),
    check: (p) => {
      const a = only(p);
      expect(a).toMatchObject({
        kind: 'update',
        reason: 'changed',
        fields: { nick_name: 'New Name' },
        userData: undefined,
      });
      expect(a.kind === 'update' && a.changes).toEqual({ nick_name: ['Name a', 'New Name'] });
    },
  },
  {
    rule: 'a phone change moves the mobile link (links unknown: old unlinked, new linked, then read and planned exactly)',
    source: buildSource({ users: [user('a', { mobile: '13900001111' })] }),
    target: buildTarget({ managed: [managed('a', { phone: '13800005678' })] }),
    check: (p) => {
      expect(only(p)).toMatchObject({
        kind: 'update',
        fields: { phone: '13900001111' },
        linkRemove: [{ type: 'mobile', identity: '13800005678' }],
        linkAdd: [{ type: 'mobile', identity: '13900001111', extra: '86' }],
        linksUnknown: true,
      });
      expect(withoutLinks(p)).toEqual(['dt_a']);
    },
  },
  {
    rule: 'with links read, missing owned links are added and stale mobile links removed',
    source: buildSource({ users: [user('a', { mobile: '13900001111' })] }),
    target: buildTarget({
      managed: [managed('a', { phone: '13900001111' })],
      links: { dt_a: [link('dt_a', 'mobile', '13700000000', '86'), link('dt_a', 'email', 'a@x.cn')] },
    }),
    check: (p) => {
      expect(only(p)).toMatchObject({
        kind: 'update',
        linkAdd: [
          { type: 'ding', identity: 'u-a' },
          { type: 'mobile', identity: '13900001111', extra: '86' },
        ],
        linkRemove: [{ type: 'mobile', identity: '13700000000', extra: '86' }],
        linksUnknown: false,
      });
    },
  },
  {
    rule: 'memberships are added and removed to match the departments',
    source: buildSource({
      departments: [dept(1, 'Acme'), dept(2, 'Sales', 1), dept(3, 'Ops', 1)],
      users: [user('a', { deptIds: [3] })],
    }),
    target: buildTarget({
      managed: [managed('a', { groupIds: ['g2'] })],
      groups: [group(1, 'g1', 'Acme'), group(2, 'g2', 'Sales', 'g1'), group(3, 'g3', 'Ops', 'g1')],
    }),
    check: (p) => expect(only(p)).toMatchObject({ kind: 'update', addDeptIds: [3], removeGroupIds: ['g2'] }),
  },
  {
    rule: 'a managed enabled user confirmed out of scope is disabled, never deleted, leaves managed groups, and the disable is recorded',
    source: buildSource({ users: [] }),
    target: buildTarget({ managed: [managed('gone', { userData: { note: 'kept' } })] }),
    absences: new Map([
      ['gone', { kind: 'disable', reason: 'out_of_scope', since: '2026-11-25T03:00:00.000Z' }],
    ]),
    check: (p) => {
      expect(only(p)).toEqual({
        kind: 'disable',
        userid: 'gone',
        pdsUserId: 'dt_gone',
        linkRemove: [],
        removeGroupIds: ['g1'],
        reason: 'out_of_scope',
        absentSince: '2026-11-25T03:00:00.000Z',
        userData: {
          source: 'dingtalk',
          dtsync_profile: 'acme',
          dingtalk_userid: 'gone',
          dingtalk_unionid: 'u-gone',
          note: 'kept',
          dtsync_disabled_by: 'sync',
          dtsync_disabled_at: '2026-11-25T03:00:00.000Z',
          dtsync_disabled_reason: 'out_of_scope',
        },
      });
    },
  },
  {
    rule: 'a user an admin re-enabled while out of scope is kept enabled by an admin',
    source: buildSource({ users: [] }),
    target: buildTarget({
      managed: [managed('x', { groupIds: [], userData: { dtsync_disabled_by: 'sync' } })],
    }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.notices).toEqual([expect.objectContaining({ kind: 'keptEnabledByAdmin', pdsUserId: 'dt_x' })]);
    },
  },
  {
    rule: 'admins are never disabled',
    source: buildSource({ users: [] }),
    target: buildTarget({
      managed: [managed('boss', { role: 'admin' }), managed('root', { role: 'superadmin' })],
    }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.notices.map((n) => n.kind)).toEqual(['adminNotDisabled', 'adminNotDisabled']);
    },
  },
  {
    rule: 'a disabled user out of scope only leaves the managed groups it is still in',
    source: buildSource({ users: [] }),
    target: buildTarget({
      managed: [
        managed('d', { status: 'disabled', groupIds: ['g1'] }),
        managed('e', { status: 'disabled', groupIds: [] }),
      ],
    }),
    check: (p) => {
      expect(only(p)).toEqual({
        kind: 'leaveGroups',
        userid: 'd',
        pdsUserId: 'dt_d',
        removeGroupIds: ['g1'],
        linkRemove: [],
      });
      expect(p.unchanged).toBe(1);
    },
  },
  {
    rule: 'a user back in scope stays disabled, its fields and memberships are restored, and it is reported as re-entered',
    source: buildSource({ users: [user('r', { name: 'Renamed' })] }),
    target: buildTarget({
      managed: [managed('r', { status: 'disabled', groupIds: [], userData: { dtsync_disabled_by: 'sync' } })],
    }),
    check: (p) => {
      const a = only(p);
      expect(a).toMatchObject({
        kind: 'update',
        reason: 'reentered',
        fields: { nick_name: 'Renamed' },
        addDeptIds: [1],
        linksUnknown: true,
      });
      expect(JSON.stringify(a)).not.toContain('status');
      expect(p.notices).toEqual([expect.objectContaining({ kind: 'reentered', pdsUserId: 'dt_r' })]);
    },
  },
  {
    rule: 'a user an earlier version disabled with English dtsync_disabled_reason is not rewritten for the text, out of scope or back in it',
    source: buildSource({ users: [user('back')] }),
    target: buildTarget({
      managed: [
        managed('gone', { status: 'disabled', groupIds: [], userData: ENGLISH_DISABLE }),
        managed('back', { status: 'disabled', userData: ENGLISH_DISABLE }),
      ],
      links: { dt_back: [link('dt_back', 'ding', 'u-back')] },
    }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.notices).toEqual([expect.objectContaining({ kind: 'reentered', pdsUserId: 'dt_back' })]);
    },
  },
  {
    rule: 'an admin-disabled user in scope stays disabled (the sync never enables)',
    source: buildSource({ users: [user('ad', { name: 'New' })] }),
    target: buildTarget({ managed: [managed('ad', { status: 'disabled' })] }),
    check: (p) => {
      const a = only(p);
      expect(a).toMatchObject({ kind: 'update', reason: 'changed', fields: { nick_name: 'New' } });
      expect(JSON.stringify(a)).not.toContain('enabled');
    },
  },
  {
    rule: 'a re-entered user an admin enabled loses the disable record',
    source: buildSource({ users: [user('b')] }),
    target: buildTarget({
      managed: [
        managed('b', {
          userData: {
            dtsync_disabled_by: 'sync',
            dtsync_disabled_at: 't',
            dtsync_disabled_reason: 'out of scope',
          },
        }),
      ],
    }),
    check: (p) => {
      expect(only(p)).toMatchObject({
        kind: 'update',
        userData: {
          source: 'dingtalk',
          dtsync_profile: 'acme',
          dingtalk_userid: 'b',
          dingtalk_unionid: 'u-b',
        },
      });
    },
  },
  {
    rule: 'a user in several departments is in all their groups; users without email or mobile are created without them',
    source: buildSource({
      departments: [dept(1, 'Acme'), dept(2, 'A', 1), dept(3, 'B', 1)],
      users: [user('m', { deptIds: [2, 3] })],
    }),
    target: buildTarget({
      groups: [group(1, 'g1', 'Acme'), group(2, 'g2', 'A', 'g1'), group(3, 'g3', 'B', 'g1')],
    }),
    check: (p) => {
      expect(only(p)).toMatchObject({
        kind: 'create',
        deptIds: [2, 3],
        fields: { nick_name: 'Name m' },
        linkAdd: [{ type: 'ding', identity: 'u-m' }],
      });
      const a = p.users[0]!;
      expect(a.kind === 'create' && Object.keys(a.fields)).toEqual(['nick_name']);
    },
  },
  {
    rule: 'syncPhone off: phone and the mobile link are neither set nor changed',
    source: buildSource({
      users: [user('p', { mobile: '13900001111' }), user('q', { mobile: '13900002222' })],
    }),
    target: buildTarget({ managed: [managed('p', { phone: '13800005678' })] }),
    options: { syncPhone: false },
    check: (p) => {
      expect(p.users).toHaveLength(1);
      expect(p.users[0]).toMatchObject({
        kind: 'create',
        userid: 'q',
        fields: { nick_name: 'Name q' },
        linkAdd: [{ type: 'ding' }],
      });
      expect(p.unchanged).toBe(1);
    },
  },
  {
    rule: 'syncEmail off: email is neither set nor changed',
    source: buildSource({ users: [user('e', { email: 'new@x.cn' })] }),
    target: buildTarget({ managed: [managed('e', { email: 'old@x.cn' })] }),
    options: { syncEmail: false },
    check: (p) => expect(p.users).toEqual([]),
  },
  {
    rule: 'emailField org_email takes the org email',
    source: buildSource({ users: [user('o', { email: 'me@home.cn', orgEmail: 'me@corp.cn' })] }),
    target: buildTarget({}),
    options: { emailField: 'org_email' },
    check: (p) => expect(only(p)).toMatchObject({ kind: 'create', fields: { email: 'me@corp.cn' } }),
  },
  {
    rule: 'a field the app may not read is unknown, not empty: never cleared and its links never removed',
    source: buildSource({
      users: [user('n')],
      fields: { mobile: 'not_authorised', email: 'not_authorised' },
    }),
    target: buildTarget({
      managed: [managed('n', { phone: '13800005678', email: 'n@x.cn' })],
      links: { dt_n: [link('dt_n', 'ding', 'u-n'), link('dt_n', 'mobile', '13800005678', '86')] },
    }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.unchanged).toBe(1);
    },
  },
  {
    rule: 'a phone or email removed in DingTalk is cleared (and counted by the breaker as a clear)',
    source: buildSource({ users: [user('c')] }),
    target: buildTarget({ managed: [managed('c', { phone: '13800005678', email: 'c@x.cn' })] }),
    check: (p) =>
      expect(only(p)).toMatchObject({
        kind: 'update',
        fields: { phone: '', email: '' },
        linkRemove: [{ type: 'mobile', identity: '13800005678' }],
        linkAdd: [],
      }),
  },
  {
    rule: 'users the profile does not manage are never modified, disabled, linked or unlinked',
    source: buildSource({ users: [] }),
    target: buildTarget({
      others: [
        other('hand-made'),
        other('admin1', { role: 'admin' }),
        other('dt_x', { managedBy: 'other-profile' }),
      ],
    }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.unmanagedSkipped).toBe(3);
    },
  },
  {
    rule: 'a create whose user id is taken by an unmanaged user fails instead of taking it over',
    source: buildSource({ users: [user('taken')] }),
    target: buildTarget({ others: [other('dt_taken')] }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.failures).toEqual([
        {
          userid: 'taken',
          pdsUserId: 'dt_taken',
          action: { type: 'create' },
          code: 'UserIdTaken',
          reason: 'user id dt_taken taken by a user this sync does not manage',
        },
      ]);
    },
  },
  {
    rule: 'adoptExisting ding adopts the non-admin user that has this person’s ding link',
    source: buildSource({ users: [user('old')] }),
    target: buildTarget({
      others: [other('console-1', { userData: { from: 'console' } })],
      dingOwners: { 'u-old': 'console-1' },
    }),
    options: { adoptExisting: 'ding' },
    check: (p) =>
      expect(only(p)).toMatchObject({
        kind: 'update',
        reason: 'adopted',
        adoptedBy: 'ding',
        pdsUserId: 'console-1',
        userData: { from: 'console', source: 'dingtalk', dtsync_profile: 'acme', dingtalk_userid: 'old' },
        linksUnknown: true,
      }),
  },
  {
    rule: 'adoption never takes an admin or another profile’s user',
    source: buildSource({ users: [user('a1'), user('a2')] }),
    target: buildTarget({
      others: [other('adm', { role: 'admin' }), other('theirs', { managedBy: 'p2' })],
      dingOwners: { 'u-a1': 'adm', 'u-a2': 'theirs' },
    }),
    options: { adoptExisting: 'ding' },
    check: (p) => expect(p.users.map((a) => a.kind)).toEqual(['create', 'create']),
  },
  {
    rule: 'adoptExisting email adopts an exact unique match and fails an ambiguous one',
    source: buildSource({ users: [user('e1', { email: 'one@x.cn' }), user('e2', { email: 'two@x.cn' })] }),
    target: buildTarget({
      others: [
        other('h1', { email: 'one@x.cn' }),
        other('h2', { email: 'two@x.cn' }),
        other('h3', { email: 'two@x.cn' }),
      ],
    }),
    options: { adoptExisting: 'email' },
    check: (p) => {
      expect(only(p)).toMatchObject({
        kind: 'update',
        reason: 'adopted',
        adoptedBy: 'email',
        pdsUserId: 'h1',
      });
      expect(p.failures).toEqual([expect.objectContaining({ userid: 'e2', code: 'AmbiguousAdoption' })]);
    },
  },
  {
    rule: 'an ambiguous adoption fails as an adoption by its field, carrying its candidates as params',
    source: buildSource({ users: [user('e2', { email: 'two@x.cn' })] }),
    target: buildTarget({
      others: [other('h2', { email: 'two@x.cn' }), other('h3', { email: 'two@x.cn' })],
    }),
    options: { adoptExisting: 'email' },
    check: (p) => {
      expect(p.failures).toEqual([
        expect.objectContaining({
          action: { type: 'adopt', by: 'email' },
          code: 'AmbiguousAdoption',
          params: { candidates: 'h2, h3' },
        }),
      ]);
    },
  },
  {
    rule: 'adoptExisting phone adopts by an exact phone match',
    source: buildSource({ users: [user('ph', { mobile: '13800005678' })] }),
    target: buildTarget({ others: [other('h9', { phone: '13800005678' })] }),
    options: { adoptExisting: 'phone' },
    check: (p) =>
      expect(only(p)).toMatchObject({
        kind: 'update',
        reason: 'adopted',
        adoptedBy: 'phone',
        pdsUserId: 'h9',
      }),
  },
  {
    rule: 'dingIdentity userid links the userid, and a stale unionid link of the same person is removed',
    source: buildSource({ users: [user('s')] }),
    target: buildTarget({ managed: [managed('s')], links: { dt_s: [link('dt_s', 'ding', 'u-s')] } }),
    options: { dingIdentity: 'userid' },
    check: (p) =>
      expect(only(p)).toMatchObject({
        linkAdd: [{ type: 'ding', identity: 's' }],
        linkRemove: [{ type: 'ding', identity: 'u-s' }],
      }),
  },
  {
    rule: 'user_data keeps keys set by others and over-long user_data fails the record',
    source: buildSource({ users: [user('big')] }),
    target: buildTarget({
      // no unionid recorded yet: filling it in would pass PDS's limit
      managed: [managed('big', { userData: { dingtalk_unionid: '', blob: 'x'.repeat(1000) } })],
    }),
    check: (p) => {
      expect(p.users).toEqual([]);
      expect(p.failures).toEqual([expect.objectContaining({ userid: 'big', code: 'UserDataTooLong' })]);
    },
  },
];

const groupRules: Row[] = [
  {
    rule: 'departments become groups created parent-first, roots as root groups',
    source: buildSource({ departments: [dept(3, 'Leaf', 2), dept(2, 'Mid', 1), dept(1, 'Acme')], users: [] }),
    target: buildTarget({ groups: [] }),
    check: (p) =>
      expect(p.groups).toEqual([
        { kind: 'createGroup', deptId: 1, name: 'Acme', parentDeptId: undefined },
        { kind: 'createGroup', deptId: 2, name: 'Mid', parentDeptId: 1 },
        { kind: 'createGroup', deptId: 3, name: 'Leaf', parentDeptId: 2 },
      ]),
  },
  {
    rule: 'a renamed department renames its group',
    source: buildSource({ departments: [dept(1, 'Acme Ltd')], users: [] }),
    target: buildTarget({ groups: [group(1, 'g1', 'Acme')] }),
    check: (p) =>
      expect(p.groups).toEqual([
        { kind: 'renameGroup', deptId: 1, groupId: 'g1', from: 'Acme', to: 'Acme Ltd' },
      ]),
  },
  {
    rule: 'a department that disappears keeps its group; the sync’s memberships are removed and reported',
    source: buildSource({ departments: [dept(1, 'Acme')], users: [user('a', { deptIds: [1] })] }),
    target: buildTarget({
      groups: [group(1, 'g1', 'Acme'), group(9, 'g9', 'Gone', 'g1')],
      managed: [managed('a', { groupIds: ['g1', 'g9'] })],
    }),
    check: (p) => {
      expect(p.groups).toEqual([]);
      expect(only(p)).toMatchObject({ kind: 'update', removeGroupIds: ['g9'] });
      expect(p.notices).toEqual([
        expect.objectContaining({ kind: 'departmentGone', deptId: 9, groupId: 'g9' }),
      ]);
    },
  },
  {
    rule: 'a department moved under another parent keeps its group where it is and is reported for manual action',
    source: buildSource({ departments: [dept(1, 'Acme'), dept(2, 'A', 1), dept(3, 'B', 2)], users: [] }),
    target: buildTarget({
      groups: [group(1, 'g1', 'Acme'), group(2, 'g2', 'A', 'g1'), group(3, 'g3', 'B', 'g1')],
    }),
    check: (p) => {
      expect(p.groups).toEqual([]);
      expect(p.notices).toEqual([
        expect.objectContaining({ kind: 'departmentMoved', deptId: 3, groupId: 'g3' }),
      ]);
    },
  },
  {
    rule: 'new users join groups of departments created in the same run',
    source: buildSource({
      departments: [dept(1, 'Acme'), dept(5, 'New', 1)],
      users: [user('n', { deptIds: [5] })],
    }),
    target: buildTarget({ groups: [group(1, 'g1', 'Acme')], managed: [] }),
    check: (p) => {
      expect(p.groups).toEqual([{ kind: 'createGroup', deptId: 5, name: 'New', parentDeptId: 1 }]);
      expect(only(p)).toMatchObject({ kind: 'create', deptIds: [5] });
    },
  },
];

describe('plan()', () => {
  it.each(rules.map((r) => [r.rule, r] as const))('%s', (_name, r) => {
    r.check(plan(r.source, r.target, options(r.options), r.absences));
  });

  it.each(groupRules.map((r) => [r.rule, r] as const))('%s', (_name, r) => {
    r.check(plan(r.source, r.target, options(r.options)));
  });

  it('is pure: the same inputs give the same plan and the inputs are not changed', () => {
    const source = buildSource({ users: [phoneUser, user('b')] });
    const target = buildTarget({ managed: [managed('gone'), managed('b', { nickName: 'old' })] });
    const before = JSON.stringify([...target.managed.values()]);
    expect(plan(source, target, options())).toEqual(plan(source, target, options()));
    expect(JSON.stringify([...target.managed.values()])).toBe(before);
  });
});

describe('linksToRead, against every rule above', () => {
  const all = [...rules, ...groupRules].map((r) => [r.rule, r] as const);

  it.each(all)('names exactly the users plan() would otherwise plan without their links: %s', (_name, r) => {
    const o = options(r.options);
    expect([...linksToRead(r.source, r.target, o, [], false)].sort()).toEqual(
      withoutLinks(plan(r.source, r.target, o)).sort(),
    );
  });

  it.each(all)('with those links read, plan() plans every user with its links known: %s', (_name, r) => {
    const o = options(r.options);
    const links = new Map(r.target.links);
    for (const id of linksToRead(r.source, r.target, o, [], false)) links.set(id, []);
    expect(withoutLinks(plan(r.source, { ...r.target, links }, o))).toEqual([]);
  });
});

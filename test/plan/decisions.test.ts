import { describe, expect, it } from '@jest/globals';
import type { ManagedUser, TargetSnapshot } from '../../src/pds-snapshot/snapshot.js';
import { findAdoption } from '../../src/plan/adoption.js';
import { planContext } from '../../src/plan/context.js';
import { decideInScope } from '../../src/plan/in-scope.js';
import { decideNew } from '../../src/plan/new-user.js';
import { decideOutOfScope } from '../../src/plan/out-of-scope.js';
import { emailAccess, fieldDiff, OWNED_FIELDS, UNKNOWN } from '../../src/plan/owned-fields.js';
import type { PlanOptions, UserDecision } from '../../src/plan/types.js';
import { planUserData } from '../../src/plan/user-data.js';
import type { SourceFieldAccess, SourceUser } from '../../src/source/snapshot.js';
import { ALL_FIELDS, buildTarget, link, managed, options, other, user } from '../helpers/snapshots.js';

/** One person, one rule, and the kind of decision it must return. */
interface Case {
  readonly rule: string;
  readonly decide: () => UserDecision;
  readonly kind: UserDecision['kind'];
  readonly check?: (d: UserDecision) => void;
}

const ctx = (target: TargetSnapshot, o: Partial<PlanOptions> = {}, fields: SourceFieldAccess = ALL_FIELDS) =>
  planContext(target, fields, options(o));
const inScope = (
  u: SourceUser,
  m: ManagedUser,
  o: Partial<PlanOptions> = {},
  links?: TargetSnapshot['links'],
) =>
  decideInScope(
    ctx({ ...buildTarget({ managed: [m] }), ...(links === undefined ? {} : { links }) }, o),
    u,
    m,
  );
const action = (d: UserDecision) => (d.kind === 'change' ? d.action : undefined);

const cases: Case[] = [
  // in scope, managed
  {
    rule: 'in scope: a user whose fields, markers and groups match is unchanged',
    decide: () => inScope(user('a'), managed('a')),
    kind: 'unchanged',
  },
  {
    rule: 'in scope: a rename is a change of nick_name only, planned with the links unknown',
    decide: () => inScope(user('a', { name: 'New' }), managed('a')),
    kind: 'change',
    check: (d) =>
      expect(action(d)).toMatchObject({
        reason: 'changed',
        fields: { nick_name: 'New' },
        linksUnknown: true,
      }),
  },
  {
    rule: 'in scope: with its links read and in step, a user is unchanged',
    decide: () => inScope(user('a'), managed('a'), {}, new Map([['dt_a', [link('dt_a', 'ding', 'u-a')]]])),
    kind: 'unchanged',
  },
  {
    rule: 'in scope: with its links read, a missing ding link is a change of links only',
    decide: () => inScope(user('a'), managed('a'), {}, new Map([['dt_a', []]])),
    kind: 'change',
    check: (d) =>
      expect(action(d)).toMatchObject({
        fields: {},
        linkAdd: [{ type: 'ding', identity: 'u-a' }],
        linksUnknown: false,
      }),
  },
  {
    rule: 'in scope: back in scope after the sync disabled it, it stays disabled, is restored and reported',
    decide: () =>
      inScope(
        user('a'),
        managed('a', { status: 'disabled', userData: { dtsync_disabled_by: 'sync' }, groupIds: [] }),
      ),
    kind: 'change',
    check: (d) => {
      expect(action(d)).toMatchObject({ reason: 'reentered', addDeptIds: [1] });
      expect(d.kind === 'change' && d.notice?.kind).toBe('reentered');
    },
  },
  {
    rule: 'in scope: back in scope with nothing to restore and its links read, it is only reported',
    decide: () =>
      inScope(
        user('a'),
        managed('a', { status: 'disabled', userData: { dtsync_disabled_by: 'sync' } }),
        {},
        new Map([['dt_a', [link('dt_a', 'ding', 'u-a')]]]),
      ),
    kind: 'notice',
    check: (d) => expect(d.kind === 'notice' && d.notice.kind).toBe('reentered'),
  },
  {
    rule: 'in scope: a user an admin enabled after re-entry loses the sync’s disable record',
    decide: () =>
      inScope(
        user('a'),
        managed('a', { userData: { dtsync_disabled_by: 'sync', dtsync_disabled_at: 't', keep: 'k' } }),
      ),
    kind: 'change',
    check: (d) =>
      expect(action(d)).toMatchObject({
        userData: expect.not.objectContaining({ dtsync_disabled_by: 'sync' }),
      }),
  },
  {
    rule: 'in scope: a change whose user_data would exceed 1024 characters fails',
    decide: () =>
      inScope(user('a', { unionid: 'u-new' }), managed('a', { userData: { note: 'x'.repeat(1000) } })),
    kind: 'fail',
    check: (d) => expect(d.kind === 'fail' && d.failure.code).toBe('UserDataTooLong'),
  },
  // out of scope
  {
    rule: 'out of scope: an enabled user confirmed gone is disabled with its reason as a code, and leaves its groups',
    decide: () =>
      decideOutOfScope(managed('a'), options(), {
        kind: 'disable',
        reason: 'left',
        since: 't',
        leaveReason: 'oapi',
      }),
    kind: 'change',
    check: (d) =>
      expect(action(d)).toMatchObject({
        kind: 'disable',
        reason: 'left',
        absentSince: 't',
        leaveReason: 'oapi',
        removeGroupIds: ['g1'],
        userData: { dtsync_disabled_by: 'sync', dtsync_disabled_reason: 'left' },
      }),
  },
  ...(['out_of_scope', 'moved_out', 'unexplained'] as const).map((reason): Case => ({
    rule: `out of scope: a confirmed ${reason} absence writes ${reason} as dtsync_disabled_reason`,
    decide: () => decideOutOfScope(managed('a'), options(), { kind: 'disable', reason, since: 't' }),
    kind: 'change',
    check: (d) => expect(action(d)).toMatchObject({ reason, userData: { dtsync_disabled_reason: reason } }),
  })),
  {
    rule: 'out of scope: a person the walk missed (found inside it) is never disabled, only reported with the department',
    decide: () => decideOutOfScope(managed('a'), options(), { kind: 'missed', deptId: 7 }),
    kind: 'notice',
    check: (d) => expect(d.kind === 'notice' && d.notice).toMatchObject({ kind: 'walkMissed', deptId: 7 }),
  },
  {
    rule: 'out of scope: an unexplained absence in its grace is not disabled, only reported with its end',
    decide: () => decideOutOfScope(managed('a'), options(), { kind: 'grace', since: 't0', until: 't1' }),
    kind: 'notice',
    check: (d) =>
      expect(d.kind === 'notice' && d.notice).toMatchObject({ kind: 'absenceInGrace', until: 't1' }),
  },
  {
    rule: 'out of scope: an absence nobody confirmed (a held run) is an unconfirmed disable',
    decide: () => decideOutOfScope(managed('a'), options(), undefined),
    kind: 'change',
    check: (d) => expect(action(d)).toMatchObject({ kind: 'disable', reason: 'unconfirmed' }),
  },
  {
    rule: 'out of scope: a disabled user still in groups only leaves them',
    decide: () => decideOutOfScope(managed('a', { status: 'disabled' }), options(), undefined),
    kind: 'change',
    check: (d) =>
      expect(action(d)).toEqual({
        kind: 'leaveGroups',
        userid: 'a',
        pdsUserId: 'dt_a',
        removeGroupIds: ['g1'],
        linkRemove: [],
      }),
  },
  {
    rule: 'out of scope: a disabled user in no group is unchanged',
    decide: () => decideOutOfScope(managed('a', { status: 'disabled', groupIds: [] }), options(), undefined),
    kind: 'unchanged',
  },
  {
    rule: 'out of scope: a user an admin enabled after the sync disabled it is kept enabled and reported',
    decide: () =>
      decideOutOfScope(managed('a', { userData: { dtsync_disabled_by: 'sync' } }), options(), undefined),
    kind: 'notice',
    check: (d) => expect(d.kind === 'notice' && d.notice.kind).toBe('keptEnabledByAdmin'),
  },
  {
    rule: 'out of scope: an admin is never disabled, only reported',
    decide: () => decideOutOfScope(managed('a', { role: 'superadmin' }), options(), undefined),
    kind: 'notice',
    check: (d) => expect(d.kind === 'notice' && d.notice.kind).toBe('adminNotDisabled'),
  },
  // new users
  {
    rule: 'new: a DingTalk user without a PDS user is created under its deterministic id',
    decide: () => decideNew(ctx(buildTarget({})), user('n')),
    kind: 'change',
    check: (d) => expect(action(d)).toMatchObject({ kind: 'create', pdsUserId: 'dt_n', deptIds: [1] }),
  },
  {
    rule: 'new: a create whose id an unmanaged user holds fails',
    decide: () => decideNew(ctx(buildTarget({ others: [other('dt_n')] })), user('n')),
    kind: 'fail',
    check: (d) => expect(d.kind === 'fail' && d.failure.code).toBe('UserIdTaken'),
  },
  {
    rule: 'new: adoption by email updates the one matching user and reads its links',
    decide: () =>
      decideNew(
        ctx(buildTarget({ others: [other('hand', { email: 'n@x.cn' })] }), { adoptExisting: 'email' }),
        user('n', { email: 'n@x.cn' }),
      ),
    kind: 'change',
    check: (d) =>
      expect(action(d)).toMatchObject({
        kind: 'update',
        pdsUserId: 'hand',
        reason: 'adopted',
        adoptedBy: 'email',
        linksUnknown: true,
      }),
  },
  {
    rule: 'new: an ambiguous adoption fails and creates nobody',
    decide: () =>
      decideNew(
        ctx(
          buildTarget({
            others: [other('h1', { phone: '13800001111' }), other('h2', { phone: '13800001111' })],
          }),
          {
            adoptExisting: 'phone',
          },
        ),
        user('n', { mobile: '13800001111' }),
      ),
    kind: 'fail',
    check: (d) => expect(d.kind === 'fail' && d.failure.code).toBe('AmbiguousAdoption'),
  },
];

describe('each per-person rule returns one decision', () => {
  it.each(cases.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const d = c.decide();
    expect(d.kind).toBe(c.kind);
    c.check?.(d);
  });
});

describe('findAdoption', () => {
  it.each([
    ['off never adopts', 'off', buildTarget({ others: [other('hand', { email: 'n@x.cn' })] }), 'none'],
    [
      'an admin is never adopted',
      'email',
      buildTarget({ others: [other('hand', { email: 'n@x.cn', role: 'admin' })] }),
      'none',
    ],
    [
      'another profile’s user is never adopted',
      'email',
      buildTarget({ others: [other('hand', { email: 'n@x.cn', managedBy: 'other' })] }),
      'none',
    ],
    [
      'ding adopts the holder of the person’s ding link',
      'ding',
      buildTarget({ others: [other('hand')], dingOwners: { 'u-n': 'hand' } }),
      'adopt',
    ],
    [
      'ding with nobody holding the link adopts none',
      'ding',
      buildTarget({ others: [other('hand')], dingOwners: { 'u-n': null } }),
      'none',
    ],
  ] as const)('%s', (_rule, adoptExisting, target, kind) => {
    expect(findAdoption(ctx(target, { adoptExisting }), user('n', { email: 'n@x.cn' })).kind).toBe(kind);
  });

  it('an email the app may not read adopts nobody (unknown is not a match)', () => {
    const target = buildTarget({ others: [other('hand', { email: 'n@x.cn' })] });
    const c = ctx(target, { adoptExisting: 'email' }, { ...ALL_FIELDS, email: 'not_authorised' });
    expect(findAdoption(c, user('n', { email: 'n@x.cn' })).kind).toBe('none');
  });
});

describe('the owned fields (one declared list)', () => {
  it.each([
    ['emailField email reads email under its own permission', 'email', ALL_FIELDS, 'a@x.cn'],
    ['emailField org_email reads org_email under its own permission', 'org_email', ALL_FIELDS, 'a@corp.cn'],
    [
      'an email field the app may not read is unknown',
      'org_email',
      { ...ALL_FIELDS, orgEmail: 'not_authorised' },
      UNKNOWN,
    ],
  ] as const)('%s', (_rule, emailField, fields, expected) => {
    const u = user('a', { email: 'a@x.cn', orgEmail: 'a@corp.cn' });
    expect(OWNED_FIELDS.email.wanted(u, fields, options({ emailField }))).toBe(expected);
    expect(emailAccess(fields, emailField)).toBe(expected === UNKNOWN ? 'not_authorised' : 'authorised');
  });

  it('syncPhone off leaves the phone unknown, never cleared', () => {
    expect(OWNED_FIELDS.phone.wanted(user('a'), ALL_FIELDS, options({ syncPhone: false }))).toBe(UNKNOWN);
    expect(
      fieldDiff(
        user('a'),
        { nickName: 'Name a', phone: '138', email: undefined },
        ALL_FIELDS,
        options({ syncPhone: false }),
      ),
    ).toEqual({
      fields: {},
      changes: {},
    });
  });

  it('a phone DingTalk no longer has is cleared with ""', () => {
    expect(
      fieldDiff(user('a'), { nickName: 'Name a', phone: '138', email: undefined }, ALL_FIELDS, options())
        .fields,
    ).toEqual({
      phone: '',
    });
  });
});

describe('planUserData', () => {
  it.each([
    ['markers in step: keep', managed('a'), user('a'), 'keep'],
    ['a new unionid is written', managed('a'), user('a', { unionid: 'u-2' }), 'write'],
    [
      'no unionid from DingTalk keeps the one PDS holds',
      managed('a'),
      user('a', { unionid: undefined }),
      'keep',
    ],
    [
      'keys others set are kept (the sync only adds its own)',
      managed('a', { userData: { note: 'x' } }),
      user('a'),
      'keep',
    ],
  ] as const)('%s', (_rule, m, u, kind) => {
    expect(planUserData(m, u, options()).kind).toBe(kind);
  });
});

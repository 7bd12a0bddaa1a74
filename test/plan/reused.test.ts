import { describe, expect, it } from '@jest/globals';
import { applyBreaker } from '../../src/gate/breaker.js';
import { pdsUserIdFor } from '../../src/pds-snapshot/identity.js';
import { plan } from '../../src/plan/plan.js';
import { isReused } from '../../src/plan/reused.js';
import type { PlanOptions, UserAction } from '../../src/plan/types.js';
import {
  buildSource,
  buildTarget,
  link,
  managed,
  options,
  other,
  safety,
  user,
} from '../helpers/snapshots.js';

/** 老员工 had userid `zs` (unionid u-old); DingTalk now gives `zs` to 新人 (unionid u-new). */
const newcomer = user('zs', { unionid: 'u-new', name: '新人', mobile: '13900000002' });
const predecessor = managed('zs', {
  nickName: '老员工',
  phone: '13900000001',
  groupIds: ['g1'],
  userData: { dingtalk_unionid: 'u-old', note: 'kept' },
});
const successorId = pdsUserIdFor('zs', 'u-new');

const planFor = (m = predecessor, o: Partial<PlanOptions> = {}, links = true) =>
  plan(
    buildSource({ users: [newcomer] }),
    buildTarget({
      managed: [m],
      // a hand-made mobile link stays out of it: only ding of this person and the sync's phones
      ...(links
        ? {
            links: {
              dt_zs: [
                link('dt_zs', 'ding', 'u-old'),
                link('dt_zs', 'mobile', '13900000001', '86'),
                link('dt_zs', 'ding', 'someone-else'),
              ],
            },
          }
        : {}),
    }),
    options(o),
  );
const byKind = (users: readonly UserAction[], kind: UserAction['kind']) =>
  users.filter((a) => a.kind === kind);

describe('a reused DingTalk userid never inherits an account', () => {
  it('a managed user recorded for another unionid is the previous person: retired, disabled, out of the groups, its logins removed', () => {
    const p = planFor();
    const [retire] = byKind(p.users, 'retire');
    expect(retire).toEqual({
      kind: 'retire',
      userid: 'zs',
      pdsUserId: 'dt_zs',
      disable: true,
      removeGroupIds: ['g1'],
      linkRemove: [
        { type: 'ding', identity: 'u-old' },
        { type: 'mobile', identity: '13900000001', extra: '86' },
      ],
      linksUnknown: false,
      userData: {
        source: 'dingtalk',
        dtsync_profile: 'acme',
        dingtalk_userid: 'zs',
        dingtalk_unionid: 'u-old',
        note: 'kept',
        dtsync_disabled_by: 'sync',
        dtsync_disabled_at: options().now,
        dtsync_disabled_reason: 'identity_reused',
        dtsync_retired: 'identity_reused',
      },
    });
  });

  it('the previous person’s account is never renamed or relinked: no update of it at all', () => {
    const p = planFor();
    expect(p.users.filter((a) => a.pdsUserId === 'dt_zs').map((a) => a.kind)).toEqual(['retire']);
  });

  it('the new person gets a new account under a distinct, deterministic id of their own unionid', () => {
    const [create] = byKind(planFor().users, 'create');
    expect(create).toMatchObject({
      kind: 'create',
      userid: 'zs',
      pdsUserId: successorId,
      fields: { nick_name: '新人', phone: '13900000002' },
      userData: { dingtalk_userid: 'zs', dingtalk_unionid: 'u-new' },
    });
    expect(successorId).toMatch(/^dt_zs_[0-9a-f]{10}$/);
    expect(pdsUserIdFor('zs', 'u-new')).toBe(successorId);
    expect(pdsUserIdFor('zs', 'u-other')).not.toBe(successorId);
    const long = pdsUserIdFor('x'.repeat(60), 'u-new');
    expect(long).toMatch(/^dt_u_[0-9a-f]{40}$/);
    expect(pdsUserIdFor('a#b', 'u-new')).toMatch(/^dt_u_[0-9a-f]{40}$/);
  });

  it('the report names both accounts with the code identity_reused', () => {
    expect(planFor().notices).toEqual([
      { kind: 'identity_reused', userid: 'zs', pdsUserId: 'dt_zs', successorPdsUserId: successorId },
    ]);
  });

  it('without its links read, the logins its switches made are removed: ding of the old unionid (or the userid) and the phone', () => {
    expect(byKind(planFor(predecessor, {}, false).users, 'retire')[0]).toMatchObject({
      linksUnknown: true,
      linkRemove: [
        { type: 'ding', identity: 'u-old' },
        { type: 'mobile', identity: '13900000001' },
      ],
    });
    expect(
      byKind(planFor(predecessor, { dingIdentity: 'userid', syncPhone: false }, false).users, 'retire')[0],
    ).toMatchObject({ linkRemove: [{ type: 'ding', identity: 'zs' }] });
  });

  it('an admin’s account is retired and reported, never disabled', () => {
    const p = planFor({ ...predecessor, role: 'admin' });
    const [retire] = byKind(p.users, 'retire');
    expect(retire).toMatchObject({ disable: false, removeGroupIds: ['g1'] });
    expect(retire?.kind === 'retire' && retire.userData).toEqual({
      ...predecessor.userData,
      dtsync_retired: 'identity_reused',
    });
    expect(p.notices.map((n) => n.kind)).toEqual(['identity_reused']);
    expect(byKind(p.users, 'create')).toHaveLength(1);
    // the breaker counts no disable for it
    expect(applyBreaker(p, safety({ maxDisableCount: 0, maxDisablePercent: 0 })).held).toEqual([]);
  });

  it('a managed user with no stored unionid gets it filled in, and is not a reuse', () => {
    const m = managed('zs', { userData: { dingtalk_unionid: '' } });
    expect(isReused(m, newcomer)).toBe(false);
    const { dingtalk_unionid: _gone, ...withoutUnionid } = m.userData;
    const m2 = { ...m, userData: withoutUnionid };
    expect(isReused(m2, newcomer)).toBe(false);
    const p = plan(buildSource({ users: [newcomer] }), buildTarget({ managed: [m2] }), options());
    expect(p.users).toEqual([
      expect.objectContaining({
        kind: 'update',
        pdsUserId: 'dt_zs',
        userData: expect.objectContaining({ dingtalk_unionid: 'u-new' }),
      }),
    ]);
    expect(p.notices).toEqual([]);
  });

  it('DingTalk giving no unionid is no reuse either: nothing can be compared', () => {
    expect(isReused(predecessor, user('zs', { unionid: undefined }))).toBe(false);
  });

  it('a retired account is out of the managed set: the next plan never touches it, and the new person’s id is not taken by it', () => {
    const retired = other('dt_zs', {
      managedBy: 'acme',
      status: 'disabled',
      userData: { ...predecessor.userData, dtsync_retired: 'identity_reused' },
    });
    // the retirement landed but the create did not: the create is planned again, same id
    const p = plan(buildSource({ users: [newcomer] }), buildTarget({ others: [retired] }), options());
    expect(p.users).toEqual([expect.objectContaining({ kind: 'create', pdsUserId: successorId })]);
    expect(p.failures).toEqual([]);
    // nor is it adopted, whatever matches it
    const byPhone = plan(
      buildSource({ users: [user('ls', { mobile: '13900000001' })] }),
      buildTarget({ others: [{ ...retired, phone: '13900000001' }] }),
      options({ adoptExisting: 'phone' }),
    );
    expect(byPhone.users).toEqual([expect.objectContaining({ kind: 'create', pdsUserId: 'dt_ls' })]);
  });

  it('the breaker holds a retirement with its disables, and the new person waits with it', () => {
    const p = planFor();
    const g = applyBreaker(p, safety({ maxDisableCount: 0, maxDisablePercent: 0 }));
    expect(g.held).toEqual([{ kind: 'disable', userid: 'zs', pdsUserId: 'dt_zs' }]);
    expect(g.apply.users).toEqual([]);
  });

  it('a retirement whose marker does not fit PDS’s user_data limit fails, and the new person waits', () => {
    const p = planFor({ ...predecessor, userData: { ...predecessor.userData, blob: 'x'.repeat(900) } });
    expect(p.users).toEqual([]);
    expect(p.failures).toEqual([
      expect.objectContaining({ pdsUserId: 'dt_zs', action: { type: 'retire' }, code: 'UserDataTooLong' }),
    ]);
  });
});

describe('adoption compares unionids too', () => {
  const hand = (over: Parameters<typeof other>[1] = {}) => other('console-made', over);
  const adopt = (o: Partial<PlanOptions>, candidate = hand(), identity = 'u-new') =>
    plan(
      buildSource({ users: [user('ls', { unionid: 'u-new' })] }),
      buildTarget({ others: [candidate], dingOwners: { [identity]: candidate.pdsUserId } }),
      options(o),
    );

  it('adoptExisting ding: the holder of the person’s unionid login is taken over', () => {
    expect(adopt({ adoptExisting: 'ding' }).users).toEqual([
      expect.objectContaining({ kind: 'update', reason: 'adopted', pdsUserId: 'console-made' }),
    ]);
  });

  it('adoptExisting ding: a candidate recorded for another unionid is refused and listed, not taken', () => {
    const p = adopt({ adoptExisting: 'ding' }, hand({ userData: { dingtalk_unionid: 'u-old' } }));
    expect(p.users).toEqual([]);
    expect(p.failures).toEqual([
      expect.objectContaining({
        userid: 'ls',
        code: 'AdoptionIdentityReused',
        action: { type: 'adopt', by: 'ding' },
        params: { candidates: 'console-made' },
      }),
    ]);
  });

  it('dingIdentity userid: a candidate without a unionid is refused and listed, not taken', () => {
    const p = adopt({ adoptExisting: 'ding', dingIdentity: 'userid' }, hand(), 'ls');
    expect(p.users).toEqual([]);
    expect(p.failures).toEqual([
      expect.objectContaining({
        userid: 'ls',
        code: 'AdoptionUnverified',
        params: { candidates: 'console-made' },
      }),
    ]);
  });

  it('dingIdentity userid: a candidate recorded for this unionid is taken over', () => {
    const p = adopt(
      { adoptExisting: 'ding', dingIdentity: 'userid' },
      hand({ userData: { dingtalk_unionid: 'u-new' } }),
      'ls',
    );
    expect(p.failures).toEqual([]);
    expect(p.users).toEqual([expect.objectContaining({ reason: 'adopted', pdsUserId: 'console-made' })]);
  });

  it('adoptExisting email: a candidate recorded for another unionid is never one', () => {
    const p = plan(
      buildSource({ users: [user('ls', { unionid: 'u-new', email: 'ls@x.cn' })] }),
      buildTarget({ others: [hand({ email: 'ls@x.cn', userData: { dingtalk_unionid: 'u-old' } })] }),
      options({ adoptExisting: 'email' }),
    );
    expect(p.users).toEqual([expect.objectContaining({ kind: 'create', pdsUserId: 'dt_ls' })]);
  });
});

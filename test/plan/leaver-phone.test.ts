import { describe, expect, it } from '@jest/globals';
import { unlinksFirst } from '../../src/apply/link-order.js';
import type { LinkInfo } from '../../src/pds/types.js';
import { linksToRead } from '../../src/plan/links-to-read.js';
import { plan } from '../../src/plan/plan.js';
import type { PlanOptions, UserAction } from '../../src/plan/types.js';
import { buildSource, buildTarget, link, managed, options, user } from '../helpers/snapshots.js';

/** `gone` (phone 13900000001) left the scope, confirmed (issue 28); `stay` is in it. */
const planLeaver = (over: Parameters<typeof managed>[1] = {}, o: Partial<PlanOptions> = {}) =>
  plan(
    buildSource({ users: [user('stay')] }),
    buildTarget({ managed: [managed('stay'), managed('gone', { phone: '13900000001', ...over })] }),
    options(o),
    new Map([['gone', { kind: 'disable', reason: 'out_of_scope', since: '2026-11-25T03:00:00.000Z' }]]),
  );
const actionOf = (users: readonly UserAction[], pdsUserId: string) =>
  users.find((a) => a.pdsUserId === pdsUserId);

describe("a leaver's phone login goes with them", () => {
  it.each([
    [
      'disabling a managed user removes the mobile link of its recorded phone',
      {},
      {},
      [{ type: 'mobile', identity: '13900000001' }],
    ],
    ['with syncPhone off the sync made no phone login: none is removed', {}, { syncPhone: false }, []],
    ['a leaver with no phone has no phone login to remove', { phone: undefined }, {}, []],
  ] as const)('%s', (_rule, over, o, linkRemove) => {
    expect(actionOf(planLeaver(over, o).users, 'dt_gone')).toMatchObject({ kind: 'disable', linkRemove });
  });

  it('the phone stays recorded on the user (re-entry restores the link), and the disable record is written', () => {
    const a = actionOf(planLeaver().users, 'dt_gone');
    expect(a?.kind === 'disable' && a.userData).toMatchObject({
      dtsync_disabled_by: 'sync',
      dtsync_disabled_reason: 'out_of_scope',
    });
    expect(a).not.toHaveProperty('fields');
  });

  it('a leaver already disabled only leaves the groups: its link was removed when it was disabled', () => {
    expect(actionOf(planLeaver({ status: 'disabled' }).users, 'dt_gone')).toEqual(
      expect.objectContaining({ kind: 'leaveGroups', linkRemove: [] }),
    );
  });

  /** A leaver the sync disabled before its disable removed the phone login, its links read (`--deep`). */
  const oldLeaver = (links: LinkInfo[], over: Parameters<typeof managed>[1] = {}) => {
    const m = managed('gone', {
      phone: '13900000001',
      status: 'disabled',
      groupIds: [],
      userData: { dtsync_disabled_by: 'sync', dtsync_disabled_reason: 'out of scope' },
      ...over,
    });
    return plan(
      buildSource({ users: [user('stay')] }),
      buildTarget({ managed: [managed('stay'), m], links: { dt_gone: links } }),
      options(),
    );
  };

  it.each([
    ['its phone login still there is removed', [link('dt_gone', 'mobile', '13900000001', '86')], {}, 1],
    ['none there: nothing to write', [], {}, 0],
    [
      'another number’s login is not the sync’s record: left alone',
      [link('dt_gone', 'mobile', '137')],
      {},
      0,
    ],
    [
      'a leaver an admin disabled (no sync record) is left alone',
      [link('dt_gone', 'mobile', '13900000001')],
      { userData: { dtsync_disabled_by: '' } },
      0,
    ],
  ] as const)('a leaver disabled by an older version, links read: %s', (_rule, links, over, n) => {
    const a = actionOf(oldLeaver([...links], over).users, 'dt_gone');
    if (n === 0) expect(a).toBeUndefined();
    else
      expect(a).toEqual(
        expect.objectContaining({
          kind: 'leaveGroups',
          linkRemove: [{ type: 'mobile', identity: '13900000001' }],
        }),
      );
  });

  it('--deep reads the links of disabled leavers with a phone, so it can repair them; a plain run does not', () => {
    const m = managed('gone', { phone: '139', status: 'disabled', userData: { dtsync_disabled_by: 'sync' } });
    const source = buildSource({ users: [] });
    const target = buildTarget({ managed: [m] });
    expect([...linksToRead(source, target, options(), [], true)]).toEqual(['dt_gone']);
    expect([...linksToRead(source, target, options(), [], false)]).toEqual([]);
    expect([...linksToRead(source, target, options({ syncPhone: false }), [], true)]).toEqual([]);
  });
});

describe('within one run an unlink lands before a link of the same identity', () => {
  const disable = (pdsUserId: string, phone: string): UserAction => ({
    kind: 'disable',
    userid: pdsUserId,
    pdsUserId,
    userData: {},
    removeGroupIds: [],
    linkRemove: [{ type: 'mobile', identity: phone }],
    reason: 'left',
  });
  const create = (pdsUserId: string, phone: string): UserAction => ({
    kind: 'create',
    userid: pdsUserId,
    pdsUserId,
    fields: {},
    userData: {},
    deptIds: [],
    linkAdd: [{ type: 'mobile', identity: phone, extra: '86' }],
  });

  it('the unlinks of identities the run also links are made first, whatever the records’ order', () => {
    const users = [create('dt_hire', '139'), disable('dt_leaver', '139'), disable('dt_other', '138')];
    expect(unlinksFirst(users).map(({ a, unlinks }) => [a.pdsUserId, unlinks])).toEqual([
      ['dt_leaver', [{ type: 'mobile', identity: '139' }]],
    ]);
  });

  it('no identity both unlinked and linked: no first pass at all', () => {
    expect(unlinksFirst([create('dt_hire', '137'), disable('dt_leaver', '139')])).toEqual([]);
  });
});

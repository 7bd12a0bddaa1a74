import { describe, expect, it } from '@jest/globals';
import type { ManagedUser } from '../../src/pds-snapshot/snapshot.js';
import { planContext } from '../../src/plan/context.js';
import { linksNeededFor, linksToRead } from '../../src/plan/links-to-read.js';
import { plan } from '../../src/plan/plan.js';
import type { SourceUser } from '../../src/source/snapshot.js';
import {
  ALL_FIELDS,
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

interface Sighting {
  readonly rule: string;
  /** The user as the walk has seen it so far (one listing). */
  readonly seen: SourceUser;
  readonly m: ManagedUser;
  readonly listedIn: number;
  readonly sure: boolean;
}

const groups = [group(1, 'g1', 'Acme'), group(2, 'g2', 'Sales'), group(3, 'g3', 'R&D')];
const departments = [dept(1, 'Acme'), dept(2, 'Sales', 1), dept(3, 'R&D', 1), dept(9, 'New', 1)];

const sightings: Sighting[] = [
  {
    rule: 'a user listed unchanged in one of its groups is not a sure change',
    seen: user('a'),
    m: managed('a'),
    listedIn: 1,
    sure: false,
  },
  {
    rule: 'a renamed user is a sure change',
    seen: user('a', { name: 'New Name' }),
    m: managed('a'),
    listedIn: 1,
    sure: true,
  },
  {
    rule: 'a new phone is a sure change',
    seen: user('a', { mobile: '13800001111' }),
    m: managed('a'),
    listedIn: 1,
    sure: true,
  },
  {
    rule: 'a new org email is a sure change under emailField org_email',
    seen: user('a', { orgEmail: 'a@corp.cn' }),
    m: managed('a'),
    listedIn: 1,
    sure: true,
  },
  {
    rule: 'a user listed in a department whose group it is not in has surely moved',
    seen: user('a', { deptIds: [2] }),
    m: managed('a'),
    listedIn: 2,
    sure: true,
  },
  {
    rule: 'a user listed in a department without a group yet surely joins the group the run creates',
    seen: user('a', { deptIds: [1, 9] }),
    m: managed('a'),
    listedIn: 9,
    sure: true,
  },
  {
    rule: 'a user of two groups seen in only one of them is not judged on the other',
    seen: user('a', { deptIds: [1] }),
    m: managed('a', { groupIds: ['g1', 'g2'] }),
    listedIn: 1,
    sure: false,
  },
  {
    rule: 'a user back in scope after the sync disabled it is a sure change (it stays disabled and is restored)',
    seen: user('a'),
    m: managed('a', { status: 'disabled', userData: { dtsync_disabled_by: 'sync' } }),
    listedIn: 1,
    sure: true,
  },
  {
    rule: 'a user whose markers name another DingTalk unionid is the previous person’s account, read to remove its logins',
    seen: user('a', { unionid: 'u-new' }),
    m: managed('a'),
    listedIn: 1,
    sure: true,
  },
  {
    rule: 'a changed user whose user_data cannot take the sync’s keys is not read (it fails without a write)',
    seen: user('a', { name: 'New Name' }),
    // no unionid recorded yet: filling it in would pass PDS's limit
    m: managed('a', { userData: { note: 'x'.repeat(1000), dingtalk_unionid: '' } }),
    listedIn: 1,
    sure: false,
  },
];

const optionsFor = (c: Sighting) => options(c.rule.includes('org_email') ? { emailField: 'org_email' } : {});

describe('linksNeededFor a sighting during the walk (the link prefetch)', () => {
  it.each(sightings.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    const ctx = planContext(buildTarget({ managed: [c.m], groups }), ALL_FIELDS, optionsFor(c));
    expect(linksNeededFor(ctx, c.seen, c.listedIn)).toBe(c.sure ? c.m.pdsUserId : undefined);
  });

  it.each(sightings.filter((c) => c.sure).map((c) => [c.rule, c] as const))(
    'a sure change is one plan() reads the links of: %s',
    (_rule, c) => {
      const source = buildSource({ departments, users: [c.seen] });
      const target = buildTarget({ managed: [c.m], groups });
      const o = optionsFor(c);
      expect([...linksToRead(source, target, o, [], false)]).toEqual([c.m.pdsUserId]);
      const p = plan(source, target, o);
      const own = p.users.filter((a) => a.pdsUserId === c.m.pdsUserId);
      expect(own.map((a) => (a.kind === 'update' || a.kind === 'retire') && a.linksUnknown)).toEqual([true]);
    },
  );

  it('a new DingTalk user is never read during the walk, even one that will be adopted', () => {
    const target = buildTarget({ others: [other('hand', { email: 'n@x.cn' })] });
    const ctx = planContext(target, ALL_FIELDS, options({ adoptExisting: 'email' }));
    expect(linksNeededFor(ctx, user('n', { email: 'n@x.cn' }), 1)).toBeUndefined();
    expect(linksNeededFor(ctx, user('n', { email: 'n@x.cn' }))).toBe('hand');
  });
});

describe('linksToRead (before the one plan of a run)', () => {
  const source = buildSource({ users: [user('a'), user('b', { name: 'Renamed' }), user('c')] });
  const target = buildTarget({ managed: [managed('a'), managed('b'), managed('c'), managed('gone')] });

  it('names the users plan() will change, and not the unchanged ones', () => {
    expect([...linksToRead(source, target, options(), [], false)]).toEqual(['dt_b']);
  });

  it('names the managed users the link journal still holds, and not ids it does not manage', () => {
    const ids = linksToRead(source, target, options(), ['dt_c', 'dt_gone', 'dt_unknown'], false);
    expect([...ids].sort()).toEqual(['dt_b', 'dt_c', 'dt_gone']);
  });

  it('with deep, names every managed user in scope', () => {
    expect([...linksToRead(source, target, options(), [], true)].sort()).toEqual(['dt_a', 'dt_b', 'dt_c']);
  });

  it('never names a user whose links were read during the walk', () => {
    const read = buildTarget({
      managed: [managed('a'), managed('b'), managed('c')],
      links: { dt_b: [link('dt_b', 'ding', 'u-b')] },
    });
    expect([...linksToRead(source, read, options(), ['dt_b'], true)].sort()).toEqual(['dt_a', 'dt_c']);
  });
});

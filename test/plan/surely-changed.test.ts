import { describe, expect, it } from '@jest/globals';
import { plan, usersNeedingLinks } from '../../src/plan/plan.js';
import { surelyChanged } from '../../src/plan/plan-users.js';
import type { SourceUser } from '../../src/source/snapshot.js';
import type { ManagedUser } from '../../src/target/snapshot.js';
import {
  ALL_FIELDS,
  buildSource,
  buildTarget,
  dept,
  group,
  managed,
  options,
  user,
} from '../helpers/snapshots.js';

interface Case {
  readonly rule: string;
  /** The user as the walk has seen it so far (one listing). */
  readonly seen: SourceUser;
  readonly m: ManagedUser;
  readonly listedIn: number;
  readonly expected: boolean;
}

const groups = [group(1, 'g1', 'Acme'), group(2, 'g2', 'Sales'), group(3, 'g3', 'R&D')];

const cases: Case[] = [
  {
    rule: 'a user listed unchanged in one of its groups is not surely changed',
    seen: user('a'),
    m: managed('a'),
    listedIn: 1,
    expected: false,
  },
  {
    rule: 'a renamed user is surely changed',
    seen: user('a', { name: 'New Name' }),
    m: managed('a'),
    listedIn: 1,
    expected: true,
  },
  {
    rule: 'a new phone is a sure change',
    seen: user('a', { mobile: '13800001111' }),
    m: managed('a'),
    listedIn: 1,
    expected: true,
  },
  {
    rule: 'a user listed in a department whose group it is not in has surely moved',
    seen: user('a', { deptIds: [2] }),
    m: managed('a'),
    listedIn: 2,
    expected: true,
  },
  {
    rule: 'a user listed in a department without a group yet says nothing about its groups',
    seen: user('a', { deptIds: [9] }),
    m: managed('a'),
    listedIn: 9,
    expected: false,
  },
  {
    rule: 'a user of two groups seen in only one of them is not judged on the other',
    seen: user('a', { deptIds: [1] }),
    m: managed('a', { groupIds: ['g1', 'g2'] }),
    listedIn: 1,
    expected: false,
  },
  {
    rule: 'a user back in scope after the sync disabled it is surely changed (its record is cleared or it stays disabled)',
    seen: user('a'),
    m: managed('a', { status: 'disabled', userData: { dtsync_disabled_by: 'sync' } }),
    listedIn: 1,
    expected: true,
  },
];

describe('surelyChanged (links read during the walk)', () => {
  it.each(cases.map((c) => [c.rule, c] as const))('%s', (_rule, c) => {
    expect(
      surelyChanged(c.seen, c.m, groups.find((g) => g.deptId === c.listedIn)?.groupId, ALL_FIELDS, options()),
    ).toBe(c.expected);
  });

  it.each(cases.filter((c) => c.expected).map((c) => [c.rule, c] as const))(
    'what it calls a sure change is one plan() reads the links of: %s',
    (_rule, c) => {
      const source = buildSource({
        departments: [dept(1, 'Acme'), dept(2, 'Sales', 1), dept(3, 'R&D', 1), dept(9, 'New', 1)],
        users: [c.seen],
      });
      const target = buildTarget({ managed: [c.m], groups });
      expect(usersNeedingLinks(plan(source, target, options()))).toEqual([c.m.pdsUserId]);
    },
  );
});

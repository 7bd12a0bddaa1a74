import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MemberPage, PdsApi } from '../../src/pds/types.js';
import { buildTargetSnapshot } from '../../src/pds-snapshot/build.js';
import { groupDescription, UD } from '../../src/pds-snapshot/markers.js';
import { startHarness, type Harness } from '../helpers/pds-harness.js';

const PROFILE = 'p1';
const USERS = 250; // three pages of the user listing
const GROUPS = ['ga', 'gb', 'gc'];

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const users = Array.from({ length: USERS }, (_, i) => ({
    user_id: `dt_${i}`,
    nick_name: `User ${i}`,
    role: 'user',
    status: 'enabled',
    user_data: { [UD.source]: 'dingtalk', [UD.profile]: PROFILE, [UD.userid]: `ding${i}` },
  }));
  const groups = GROUPS.map((id, i) => ({
    group_id: id,
    group_name: `Dept ${i}`,
    description: groupDescription(PROFILE, 100 + i),
    is_root: true,
    // the last users are in every group, listed in reverse group order
    members: { users: users.filter((_, u) => u % 3 === i || u >= USERS - 5).map((u) => u.user_id) },
  }));
  h.sim.control.seed({ users, groups: [...groups].reverse() });
});
afterAll(() => h.close());

/**
 * The client, with the user listing held after its first page until a member listing has
 * started: a read that lists members only after every user page never finishes.
 */
function userListingWaitsForMembers(pds: PdsApi): PdsApi {
  let membersStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (membersStarted = resolve));
  const listUsers: PdsApi['listUsers'] = async function* (signal) {
    let pages = 0;
    for await (const page of pds.listUsers(signal)) {
      if (++pages === 2) await started;
      yield page;
    }
  };
  const listMembers = (groupId: string, ...rest: [undefined, AbortSignal?]): AsyncIterable<MemberPage> => {
    membersStarted();
    return pds.listMembers(groupId, ...rest);
  };
  return new Proxy(pds, {
    get(target, prop) {
      if (prop === 'listUsers') return listUsers;
      if (prop === 'listMembers') return listMembers;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('the target snapshot', () => {
  it('lists the group members while the user listing is still paging', async () => {
    const t = await buildTargetSnapshot(userListingWaitsForMembers(h.client()), PROFILE);
    expect(t.managed.size).toBe(USERS);
    expect(t.groups.size).toBe(GROUPS.length);
  }, 10_000);

  it("lists each managed user's groups in the order PDS lists the groups", async () => {
    const t = await buildTargetSnapshot(h.client(), PROFILE);
    const listed = [...GROUPS].reverse();
    expect(t.managed.get(`ding${USERS - 1}`)?.groupIds).toEqual(listed);
    expect(t.managed.get('ding0')?.groupIds).toEqual(['ga']);
    expect(t.managed.get('ding4')?.groupIds).toEqual(['gb']);
    expect([...t.groups.values()].map((g) => g.groupId).sort()).toEqual(GROUPS);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { isAlreadyExist, PdsError } from '../../src/errors/pds-error.js';
import { failureOf, startHarness, type Harness } from '../helpers/pds-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.sim.control.seed({
    users: [{ user_id: 'existing', nick_name: 'Old' }],
    groups: [{ group_id: 'g1', group_name: 'G1', is_root: true }],
  });
});
afterAll(() => h.close());
beforeEach(() => h.sim.control.resetCounters());

/** The next write on `path` is applied, then answered 503: the client cannot tell it happened. */
const applyThen503 = (path: string) =>
  h.sim.control.setFaults({ failAfterApply: { count: 1, paths: [path] } });

describe('PDS client: a write answered 503 after it was applied', () => {
  it('create: the retry gets 409 AlreadyExist.User, surfaced as the typed AlreadyExist error; one user exists', async () => {
    const client = h.client();
    applyThen503('/v2/user/create');
    const err = await failureOf(client.createUser({ user_id: 'dt_new', nick_name: 'New' }));
    expect(err).toBeInstanceOf(PdsError);
    expect(isAlreadyExist(err)).toBe(true);
    expect(err).toMatchObject({ httpStatus: 409, code: 'AlreadyExist.User', path: '/v2/user/create' });
    expect(h.sim.control.counters().byStatus['/v2/user/create']).toEqual({ '503': 1, '409': 1 });
    expect(h.sim.control.state().users.filter((u) => u.user_id === 'dt_new')).toHaveLength(1);
  });

  it('update: the retry is naturally idempotent and the call succeeds', async () => {
    const client = h.client();
    applyThen503('/v2/user/update');
    const user = await client.updateUser({
      user_id: 'existing',
      nick_name: 'New name',
      user_data: { k: 'v' },
    });
    expect(user).toMatchObject({ nick_name: 'New name', user_data: { k: 'v' } });
    expect(h.sim.control.counters().byStatus['/v2/user/update']).toEqual({ '503': 1, '200': 1 });
  });

  it('add_member: the retry gets 409 (already a member), typed AlreadyExist; the membership exists once', async () => {
    const client = h.client();
    applyThen503('/v2/group/add_member');
    expect(isAlreadyExist(await failureOf(client.addMember('g1', 'user', 'existing')))).toBe(true);
    const g1 = h.sim.control.state().groups.find((g) => g.group_id === 'g1');
    expect(g1?.members.users).toEqual(['existing']);
  });

  it('link: the retry gets 409 AlreadyExist.Account, typed AlreadyExist; the link exists once', async () => {
    const client = h.client();
    applyThen503('/v2/account/link');
    const err = await failureOf(client.link({ user_id: 'existing', type: 'ding', identity: 'union-x' }));
    expect(isAlreadyExist(err)).toBe(true);
    expect(h.sim.control.state().links.filter((l) => l.identity === 'union-x')).toEqual([
      { user_id: 'existing', type: 'ding', identity: 'union-x' },
    ]);
  });
});

describe('PDS client: a group create is not repeated after a failure that may have landed', () => {
  it('a 503 on group create is not retried (PDS assigns the id: a repeat could make a second group)', async () => {
    const client = h.client();
    h.sim.control.setFaults({
      inject: { count: 1, paths: ['/v2/group/create'], status: 503, code: 'ServiceUnavailable' },
    });
    const err = await failureOf(client.createGroup({ group_name: 'Once', is_root: true }));
    expect(err).toMatchObject({ httpStatus: 503, retryable: true, permanent: false });
    expect(h.sim.control.counters().calls['/v2/group/create']).toBe(1);
  });

  it('a 429 on group create is retried (nothing was applied)', async () => {
    const client = h.client();
    h.sim.control.setFaults({
      inject: { count: 1, paths: ['/v2/group/create'], status: 429, code: 'Throttling' },
    });
    await expect(client.createGroup({ group_name: 'Throttled', is_root: true })).resolves.toMatchObject({
      group_name: 'Throttled',
    });
    expect(h.sim.control.counters().byStatus['/v2/group/create']).toEqual({ '429': 1, '200': 1 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { pdsUserIdFor } from '../../src/pds-snapshot/identity.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/**
 * Accounts go to people, not to userids or phone numbers: a userid DingTalk gives to a new
 * person, and a work SIM passed from a leaver to a hire, against both simulators.
 */

let env: SimEnv;
let base: Profile;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 26, users: 40, departments: 4 } }, name: 'identity' });
  base = env.profile();
  expect((await env.run(base)).status).toBe('succeeded');
});

afterAll(async () => {
  await env.close();
});

const domain = () => env.pds.control.state();
const userById = (id: string) => domain().users.find((u) => u.user_id === id);
const linksOf = (id: string) => domain().links.filter((l) => l.user_id === id);
const groupsOf = (id: string) =>
  domain()
    .groups.filter((g) => [...g.members.users].includes(id))
    .map((g) => g.group_id);
const org = () => env.dingtalk.control.org();
const phoned = () => org().users.filter((u) => u.mobile !== undefined && u.mobile !== '');

/** A run with the PDS write counters reset before it. */
async function counted(p: Profile = base) {
  env.pds.control.resetCounters();
  const r = await env.run(p);
  return { r, writes: env.pds.control.counters().writes };
}

describe('a reused DingTalk userid', () => {
  it('retires the old account (disabled, links gone, out of the groups), gives the new person a new one, and a rerun writes 0', async () => {
    const old = phoned()[0]!;
    const oldId = `dt_${old.userid}`;
    expect(linksOf(oldId).length).toBeGreaterThan(0);
    expect(groupsOf(oldId).length).toBeGreaterThan(0);
    env.dingtalk.control.mutate({ op: 'leave', userid: old.userid });
    const hired = env.dingtalk.control.mutate({
      op: 'hire',
      user: { userid: old.userid, name: '新人', mobile: '13912340026' },
    });
    if (hired.op !== 'hire') throw new Error('not a hire');
    const newcomer = hired.user;
    expect(newcomer.unionid).not.toBe(old.unionid);
    const successorId = pdsUserIdFor(old.userid, newcomer.unionid);

    const { r } = await counted();
    expect(r.status).toBe('succeeded');
    // the old account: never renamed for the new person, retired and disabled
    expect(userById(oldId)).toMatchObject({
      nick_name: old.name,
      status: 'disabled',
      user_data: expect.objectContaining({
        dingtalk_unionid: old.unionid,
        dtsync_disabled_reason: 'identity_reused',
        dtsync_retired: 'identity_reused',
      }),
    });
    expect(linksOf(oldId)).toEqual([]);
    expect(groupsOf(oldId)).toEqual([]);
    // the new person: an account of their own, with their logins
    expect(userById(successorId)).toMatchObject({
      nick_name: '新人',
      status: 'enabled',
      user_data: expect.objectContaining({ dingtalk_userid: old.userid, dingtalk_unionid: newcomer.unionid }),
    });
    expect(
      linksOf(successorId)
        .map((l) => `${l.type}:${l.identity}`)
        .sort(),
    ).toEqual([`ding:${newcomer.unionid}`, 'mobile:13912340026'].sort());
    expect(groupsOf(successorId).length).toBeGreaterThan(0);
    // the report names both
    expect(r.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'identity_reused',
          params: expect.objectContaining({
            userid: old.userid,
            pdsUserId: oldId,
            successorPdsUserId: successorId,
          }),
        }),
      ]),
    );

    const again = await counted();
    expect(again.r.status).toBe('succeeded');
    expect(again.writes).toEqual({});
  });
});

describe("a leaver's phone reassigned to a hire in the same run", () => {
  it('the leaver loses the phone login, the hire gets it, both runs succeed', async () => {
    const leaver = phoned().find((u) => !u.userid.startsWith('dt_'))!;
    const leaverId = `dt_${leaver.userid}`;
    const phone = leaver.mobile!;
    expect(linksOf(leaverId).some((l) => l.type === 'mobile' && l.identity === phone)).toBe(true);
    env.dingtalk.control.mutate({ op: 'leave', userid: leaver.userid });
    const hired = env.dingtalk.control.mutate({ op: 'hire', user: { name: '接手的人', mobile: phone } });
    if (hired.op !== 'hire') throw new Error('not a hire');
    const hireId = `dt_${hired.userid}`;
    // the leaver's first unlink answers 503: its retry comes after the hire's link, unless
    // every unlink of a phone the run also links lands before any record starts
    env.pds.control.setFaults({
      inject: { count: 1, paths: ['/v2/account/unlink'], status: 503, code: 'ServiceUnavailable' },
    });

    const { r } = await counted();
    expect(r.failures).toEqual([]);
    expect(r.status).toBe('succeeded');
    expect(userById(leaverId)).toMatchObject({ status: 'disabled', phone });
    expect(linksOf(leaverId).filter((l) => l.type === 'mobile')).toEqual([]);
    expect(
      linksOf(hireId)
        .filter((l) => l.type === 'mobile')
        .map((l) => l.identity),
    ).toEqual([phone]);

    const again = await counted();
    expect(again.r.status).toBe('succeeded');
    expect(again.writes).toEqual({});
  });
});

describe('a leaver disabled by a version before the disable removed its phone login', () => {
  it('keeps it until a --deep run removes it; then the hire gets the number', async () => {
    const leaver = phoned()[0]!;
    const leaverId = `dt_${leaver.userid}`;
    const phone = leaver.mobile!;
    env.dingtalk.control.mutate({ op: 'leave', userid: leaver.userid });
    expect((await env.run(base)).status).toBe('succeeded');
    // as an older version left it: disabled, its phone login still there
    await env.admin.link({ user_id: leaverId, type: 'mobile', identity: phone, extra: '86' });
    const hired = env.dingtalk.control.mutate({ op: 'hire', user: { name: '后来的人', mobile: phone } });
    if (hired.op !== 'hire') throw new Error('not a hire');
    const hireId = `dt_${hired.userid}`;

    const plain = await env.run(base);
    expect(plain.failures).toEqual([expect.objectContaining({ pdsUserId: hireId, kind: 'phone_taken' })]);

    const deep = await env.run(base, { deep: true });
    expect(deep.failures).toEqual([]);
    expect(deep.status).toBe('succeeded');
    expect(linksOf(leaverId).filter((l) => l.type === 'mobile')).toEqual([]);
    expect(userById(leaverId)).toMatchObject({ status: 'disabled', phone });
    expect(
      linksOf(hireId)
        .filter((l) => l.type === 'mobile')
        .map((l) => l.identity),
    ).toEqual([phone]);

    const again = await counted();
    expect(again.writes).toEqual({});
    env.pds.control.resetCounters();
    expect((await env.run(base, { deep: true })).status).toBe('succeeded');
    expect(env.pds.control.counters().writes).toEqual({});
  });
});

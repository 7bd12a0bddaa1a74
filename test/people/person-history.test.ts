import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { PeopleSearch } from '../../src/web/people-data.js';
import type { PersonPage } from '../../src/people/types.js';
import { pdsUserIdFor } from '../../src/pds-snapshot/identity.js';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

/**
 * The page per person (issue 27 item 4): what DingTalk said at the last complete run, the PDS
 * account as the sync left it, and every change the kept runs made to them, from the per-person
 * index the runs write as they end.
 */

let env: SimEnv;
let web: WebUnderTest;
let cleanup: () => void;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 27, users: 12, departments: 3 } }, name: 'person' });
  const cfg = writeServiceConfig(env, { web: WEB_SECTION });
  cleanup = cfg.cleanup;
  web = await startWebHere(env, cfg.path);
});

afterAll(async () => {
  await web.close();
  cleanup();
  await env.close();
});

// a test awaits up to three whole runs: under load one took more than Jest's 60 s elsewhere
jest.setTimeout(300_000);

const get = async (path: string) => {
  const r = await fetch(`${web.url}${path}`, { headers: { authorization: basic() } });
  return { status: r.status, text: await r.text() };
};
const json = async <T>(path: string): Promise<T> => JSON.parse((await get(path)).text) as T;

describe('the person page', () => {
  it("shows a person's history across three runs: created, renamed, disabled when they left, with who disabled them and why", async () => {
    const person = env.dingtalk.control.org().users.find((u) => u.mobile !== undefined && u.name.length > 1);
    if (person?.mobile === undefined) throw new Error('nobody with a phone');
    const pdsUserId = pdsUserIdFor(person.userid);
    // the simulator's record changes with the org: keep what the first run saw
    const { name, mobile } = person;
    const profile = env.profile({ sync: { safety: { maxDisableCount: 100, maxDisablePercent: 100 } } });

    const first = await env.run(profile);
    expect(first.status).toBe('succeeded');
    env.dingtalk.control.mutate({ op: 'setUser', userid: person.userid, set: { name: `${name}改` } });
    const second = await env.run(profile);
    expect(second.status).toBe('succeeded');
    env.dingtalk.control.mutate({ op: 'leave', userid: person.userid });
    const third = await env.run(profile);
    expect(third.status).toBe('succeeded');

    const page = await json<PersonPage>(`/api/people/${pdsUserId}`);
    expect(page.events.map((e) => [e.runId, e.action.type])).toEqual([
      [third.runId, 'disable'],
      [second.runId, 'update'],
      [first.runId, 'create'],
    ]);
    expect(page.events[1]?.fields?.nick_name).toEqual([name, `${name}改`]);
    expect(page.events[0]?.fields?.status).toEqual(['enabled', 'disabled']);
    // the account as the third run left it, and DingTalk no longer lists them
    expect(page.card.runId).toBe(third.runId);
    expect(page.card.dingtalk).toBeUndefined();
    expect(page.card.pds).toMatchObject({
      exists: true,
      status: 'disabled',
      disabledBy: 'sync',
      disabledReason: 'left',
    });

    const html = (await get(`/people/${pdsUserId}`)).text;
    expect(html).toContain(`${name} → ${name}改`);
    expect(html).toContain('由同步于');
    expect(html).toContain('已离职');
    for (const r of [first, second, third]) expect(html).toContain(`/runs/${r.runId}`);
    // phones masked on the page as in reports
    expect(html).not.toContain(mobile);
  });

  it('finds a person by name, its beginning, DingTalk userid, PDS user id and the last four digits of a phone', async () => {
    const someone = env.dingtalk.control.org().users.find((u) => u.mobile !== undefined);
    if (someone?.mobile === undefined) throw new Error('nobody with a phone');
    await env.run(env.profile());
    const pdsUserId = pdsUserIdFor(someone.userid);
    for (const q of [
      someone.name,
      someone.name.slice(0, 1),
      someone.userid,
      pdsUserId,
      someone.mobile.slice(-4),
    ]) {
      const found = await json<PeopleSearch>(`/api/people?q=${encodeURIComponent(q)}`);
      expect({ q, ids: found.hits.map((h) => h.pdsUserId) }).toEqual({
        q,
        ids: expect.arrayContaining([pdsUserId]),
      });
    }
    const page = await get(`/people?q=${encodeURIComponent(someone.userid)}`);
    expect(page.text).toContain(`/people/${pdsUserId}?profile=acme`);
    // DingTalk's view at the last complete run: departments, and the phone masked
    const card = await json<PersonPage>(`/api/people/${pdsUserId}`);
    expect(card.card.dingtalk?.departments.length).toBeGreaterThan(0);
    expect(card.card.dingtalk?.mobile).toMatch(/\*{4}\d{4}$/);
    expect((await get('/api/people/nobody-here')).status).toBe(404);
  });

  it('names the reason of a failed change, and shows the department tree with member counts', async () => {
    const h = env.dingtalk.control.mutate({ op: 'hire' });
    if (h.op !== 'hire') throw new Error('no hire');
    // a hand-made PDS user holds the id the sync would create: that record fails
    env.pds.control.seed({
      users: [{ user_id: pdsUserIdFor(h.userid), nick_name: 'by hand', role: 'user', status: 'enabled' }],
    });
    const run = await env.run(env.profile());
    expect(run.status).toBe('succeeded_with_errors');
    const page = await json<PersonPage>(`/api/people/${pdsUserIdFor(h.userid)}`);
    expect(page.card.pds.exists).toBe(false);
    expect(page.events.map((e) => [e.runId, e.action.type, e.failure?.kind])).toEqual([
      [run.runId, 'create', 'user_id_taken'],
    ]);
    expect((await get(`/people/${pdsUserIdFor(h.userid)}`)).text).toContain(
      '失败：用户 ID 已被非同步创建的用户占用',
    );
    const tree = await json<{ departments: { id: number; members: number; inScope: boolean }[] }>(
      '/api/profiles/acme/departments',
    );
    const org = env.dingtalk.control.org();
    expect(tree.departments.length).toBe(org.departments.length);
    const members = tree.departments.reduce((n, d) => n + d.members, 0);
    expect(members).toBe(org.users.reduce((n, u) => n + u.dept_id_list.length, 0));
    expect((await get('/profiles/acme/departments')).text).toContain(org.departments[0]?.name ?? '?');
  });

  it("the group description's readable part follows the config's locale (zh-CN by default), the marker as it was", async () => {
    await env.run(env.profile());
    const groups = env.pds.control.state().groups;
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups)
      expect(g.description).toMatch(
        /^由钉钉部门 (\d+) 同步，dingtalk-pds-sync 维护。 \[dtsync:acme:dept:\1\]$/,
      );
  });

  it('two people who shared a DingTalk userid stay two: the previous account retired, the new person a page of their own', async () => {
    const old = env.dingtalk.control
      .org()
      .users.find((u) => u.mobile !== undefined && u.unionid !== undefined);
    if (old === undefined) throw new Error('nobody to reuse');
    const oldName = old.name;
    await env.run(env.profile());
    env.dingtalk.control.mutate({ op: 'leave', userid: old.userid });
    const hired = env.dingtalk.control.mutate({
      op: 'hire',
      user: { userid: old.userid, name: '新来的人', mobile: '13912342727' },
    });
    if (hired.op !== 'hire') throw new Error('not a hire');
    const run = await env.run(env.profile());
    // the hand-made user of the test before still blocks one hire: that record alone fails
    expect(run.status).toMatch(/^succeeded/);
    const oldId = pdsUserIdFor(old.userid);
    const newId = pdsUserIdFor(old.userid, hired.user.unionid);
    expect(newId).not.toBe(oldId);

    const before = await json<PersonPage>(`/api/people/${oldId}`);
    expect(before.card).toMatchObject({ name: oldName, userid: old.userid });
    expect(before.card.dingtalk).toBeUndefined();
    expect(before.card.pds).toMatchObject({ status: 'disabled', disabledReason: 'identity_reused' });
    expect(before.events[0]).toMatchObject({ runId: run.runId, action: { type: 'retire' } });
    const after = await json<PersonPage>(`/api/people/${newId}`);
    expect(after.card).toMatchObject({ name: '新来的人', userid: old.userid, pds: { status: 'enabled' } });
    expect(after.card.dingtalk?.name).toBe('新来的人');
    expect(after.events.map((e) => e.action.type)).toEqual(['create']);
    // one search by the userid finds both
    const found = await json<PeopleSearch>(`/api/people?q=${old.userid}`);
    expect(found.hits.map((h) => h.pdsUserId).sort()).toEqual([oldId, newId].sort());
  });
});

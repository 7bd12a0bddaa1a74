import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import type { Profile } from '../../src/config/schema.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { CHECK } from '../helpers/check.js';

/**
 * A failed record is never forgotten: it stays pending and is retried by every following
 * plain run (no --deep) until it succeeds, and a failure that persists is reported by every run.
 * Checked against the simulators' own state with the bench's independent check.
 */

let env: SimEnv;
let base: Profile;
let seeded: Domain;

const org = () => structuredClone(env.dingtalk.control.org()) as Org;
const domain = () => env.pds.control.state() as Domain;
const writeCount = () => Object.values(env.pds.control.counters().writes).reduce((a, b) => a + b, 0);
/** A 5xx on every call of these paths, more than the client's retries can outlast. */
const storm = (paths: string[]) =>
  env.pds.control.setFaults({
    inject: { count: 100_000, paths, status: 500, code: 'InternalError' },
  });
const calm = () => env.pds.control.setFaults({ inject: null });

beforeEach(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 11, users: 40, departments: 6 } },
    name: 'failed-records',
  });
  base = env.profile();
  seeded = env.pds.control.state();
});

afterEach(async () => {
  await env.close();
});

describe('a failed record stays pending and is retried by every following run', () => {
  it('a link create that failed every retry is made by the next plain run, without --deep', async () => {
    storm(['/v2/account/link']);
    const first = await env.run(base);
    expect(first.status).toBe('succeeded_with_errors');
    expect(first.counts.created).toBe(40);
    expect(first.counts.failed).toBeGreaterThan(0);
    expect(first.failures.every((f) => f.action.type === 'create')).toBe(true);
    expect(checkDomain(org(), domain(), { ...CHECK, seeded })).not.toEqual([]);

    calm();
    const second = await env.run(base);
    expect(second.status).toBe('succeeded');
    expect(second.counts.failed).toBe(0);
    expect(second.counts.linksAdded).toBeGreaterThan(0);
    expect(checkDomain(org(), domain(), { ...CHECK, seeded })).toEqual([]);

    env.pds.control.resetCounters();
    const third = await env.run(base);
    expect(third.status).toBe('succeeded');
    expect(writeCount()).toBe(0);
  });

  it('a phone held by a hand-made user is reported as a failure by every run, never as succeeded', async () => {
    const victim = org().users.find((u) => u.mobile !== undefined);
    if (victim?.mobile === undefined) throw new Error('the org has nobody with a phone');
    env.pds.control.seed({
      users: [{ user_id: 'hand-made', nick_name: 'By hand', role: 'user', status: 'enabled' }],
      links: [{ user_id: 'hand-made', type: 'mobile', identity: victim.mobile, extra: '86' }],
    });
    for (let i = 1; i <= 3; i++) {
      const r = await env.run(base);
      expect({ run: i, status: r.status }).toEqual({ run: i, status: 'succeeded_with_errors' });
      expect(r.failures.map((f) => f.dingtalkUserId)).toEqual([victim.userid]);
      expect(r.failures[0]?.code).toMatch(/^AlreadyExist/);
    }
    // the hand-made user keeps the phone: it is never unlinked or touched
    expect(env.pds.control.state().links).toContainEqual(
      expect.objectContaining({ user_id: 'hand-made', type: 'mobile', identity: victim.mobile }),
    );
  });

  it('failed updates, disables, memberships and group work are all redone by the next plain run', async () => {
    expect((await env.run(base)).status).toBe('succeeded');
    const c = env.dingtalk.control;
    const people = org().users.filter((u) => u.dept_id_list.length === 1 && u.mobile !== undefined);
    const [leaver, renamed, mover, rephoned] = people.map((u) => u.userid);
    const dept = org().departments.find((d) => d.parent_id === 1);
    if (leaver === undefined || rephoned === undefined || dept === undefined)
      throw new Error('org too small');
    c.mutate({ op: 'leave', userid: leaver });
    c.mutate({ op: 'setUser', userid: renamed!, set: { name: '改过的名字' } });
    c.mutate({ op: 'setUser', userid: rephoned, set: { mobile: '13912340000' } });
    c.mutate({ op: 'renameDept', dept_id: dept.dept_id, name: '新部门名' });
    const newDept = c.mutate({ op: 'addDept', parent_id: dept.dept_id, name: '新部门' });
    const newDeptId = newDept.op === 'addDept' ? newDept.dept.dept_id : 0;
    c.mutate({ op: 'moveUser', userid: mover!, dept_id_list: [newDeptId] });
    storm([
      '/v2/user/update',
      '/v2/group/create',
      '/v2/group/update',
      '/v2/group/add_member',
      '/v2/group/remove_member',
      '/v2/account/link',
      '/v2/account/unlink',
    ]);
    const failing = await env.run(base);
    expect(failing.status).toBe('succeeded_with_errors');
    expect(checkDomain(org(), domain(), { ...CHECK, seeded })).not.toEqual([]);

    calm();
    const repaired = await env.run(base);
    expect(repaired.status).toBe('succeeded');
    expect(checkDomain(org(), domain(), { ...CHECK, seeded })).toEqual([]);
    env.pds.control.resetCounters();
    expect((await env.run(base)).status).toBe('succeeded');
    expect(writeCount()).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import type { Profile } from '../../src/config/schema.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/types.js';
import type { RunReport } from '../../src/report/types.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { CHECK } from '../helpers/check.js';

/**
 * plan() runs once per run, in real runs against both simulators: the links it needs are read
 * before it (during the walk, or after it when the walk could not), never after a first plan.
 */

let env: SimEnv;
let profile: Profile;
const org = () => structuredClone(env.dingtalk.control.org()) as Org;
const domain = () => env.pds.control.state() as Domain;

/** A run through a planner that counts its calls and keeps what it returned. */
async function counted(req: Parameters<SimEnv['run']>[1] = {}, p: Profile = profile) {
  const plans: Plan[] = [];
  const report = await env.run(p, req, {
    plan: (...args) => {
      const result = plan(...args);
      plans.push(result);
      return result;
    },
  });
  return { report, plans };
}

/** Updates planned without the user's links: what plan-once must never leave. */
const withoutLinks = (p: Plan | undefined) =>
  (p?.users ?? []).filter((a) => a.kind === 'update' && a.linksUnknown).map((a) => a.pdsUserId);

const usersWithPhone = () =>
  org()
    .users.filter((u) => u.dept_id_list.length === 1 && u.mobile !== undefined)
    .map((u) => u.userid);

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 11, users: 150, departments: 10 } },
    name: 'plan-once',
  });
  profile = env.profile();
});

afterAll(async () => {
  await env.close();
});

function expectOnePlan(r: { report: RunReport; plans: Plan[] }, status: RunReport['status'] = 'succeeded') {
  expect(r.report.status).toBe(status);
  expect(r.plans).toHaveLength(1);
  expect(withoutLinks(r.plans[0])).toEqual([]);
}

describe('plan() is called once per run', () => {
  it('an initial run plans once', async () => {
    const r = await counted();
    expectOnePlan(r);
    expect(r.report.counts.created).toBe(150);
  });

  it('a no-op run plans once and writes nothing', async () => {
    env.pds.control.resetCounters();
    const r = await counted();
    expectOnePlan(r);
    expect(env.pds.control.counters().writes).toEqual({});
  });

  it('a churn run plans once, with the links of every user it changes read before it', async () => {
    const [a, b, c] = usersWithPhone();
    const d = env.dingtalk.control;
    d.mutate({ op: 'setUser', userid: a!, set: { name: '改了名字' } });
    d.mutate({ op: 'setUser', userid: b!, set: { mobile: '13912340000' } });
    d.mutate({ op: 'leave', userid: c! });
    d.mutate({ op: 'hire', dept_id_list: [1] });
    const r = await counted();
    expectOnePlan(r);
    expect(r.report.counts).toMatchObject({ created: 1, disabled: 1, updated: 2 });
    expect(checkDomain(org(), domain(), CHECK)).toEqual([]);
  });

  it('a run whose walk-time link read failed reads it after the walk and still plans once', async () => {
    const [, , , e] = usersWithPhone();
    env.dingtalk.control.mutate({ op: 'setUser', userid: e!, set: { mobile: '13912340001' } });
    env.pds.control.setFaults({
      inject: { count: 1, paths: ['/v2/account/get_link_info_by_user_id'], status: 403, code: 'Forbidden' },
    });
    try {
      const r = await counted();
      expectOnePlan(r);
      expect(r.report.linkReads).toEqual({ duringWalk: 0, afterWalk: 1 });
      expect(checkDomain(org(), domain(), CHECK)).toEqual([]);
    } finally {
      env.pds.control.setFaults({ inject: null });
    }
  });

  it('a deep run reads every managed user’s links before it and plans once', async () => {
    const r = await counted({ deep: true });
    expectOnePlan(r);
    // the 150 people in scope, and the leaver with a phone (its phone login is checked)
    expect(r.report.linkReads?.afterWalk).toBe(151);
  });

  it('a dry run plans once', async () => {
    env.dingtalk.control.mutate({ op: 'hire', dept_id_list: [1] });
    const r = await counted({ dryRun: true });
    expectOnePlan(r);
    expect(r.report.planned?.created).toBe(1);
  });

  it('a held run plans once, and so does the run that applies it on approval', async () => {
    const leaving = usersWithPhone().slice(10, 40);
    for (const userid of leaving) env.dingtalk.control.mutate({ op: 'leave', userid });
    const held = await counted();
    expectOnePlan(held, 'held');
    const approved = await counted({ trigger: 'approval', approvedRunId: held.report.runId });
    expectOnePlan(approved);
    expect(approved.report.counts.disabled).toBe(leaving.length);
  });
});

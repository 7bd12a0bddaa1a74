import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { translator } from '../../src/i18n/catalog.js';
import { heldText } from '../../src/report/words.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/**
 * The default safety settings, a clean sync of one organisation, then the same profile reads
 * another organisation of the same size (a DingTalk app of another company). Its userids are
 * even the same (the simulators number people alike); only the unionids differ.
 */

let env: SimEnv;
let other: DingTalkSimulator;
let base: Profile;
let swapped: Profile;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 3, users: 120, departments: 8 } }, name: 'foreign' });
  other = await startDingTalkSimulator({ orgSpec: { seed: 4, users: 120, departments: 8 } });
  base = env.profile();
  swapped = env.profile({
    dingtalk: {
      appKey: other.appKey,
      appSecret: other.appSecret,
      oapiBaseUrl: other.url,
      apiBaseUrl: other.url,
    },
  });
});

afterAll(async () => {
  await other.close();
  await env.close();
});

describe('a DingTalk app of another organisation', () => {
  it('is held whole, with no PDS write at all, not just its disables', async () => {
    expect((await env.run(base)).status).toBe('succeeded');
    const before = env.pds.control.state();
    env.pds.control.resetCounters();

    const r = await env.run(swapped);
    expect(r.status).toBe('held');
    expect(r.held).toMatchObject({ by: 'preflight', code: 'foreign_org', wholeRun: true });
    expect(r.heldReason).toMatchObject({ code: 'foreign_org', params: { min: 50 } });
    expect(heldText(r.heldReason!, translator('zh-CN'))).toContain('minOverlapPercent');
    expect(env.pds.control.counters().writes).toEqual({});
    expect(env.pds.control.state()).toEqual(before);
  });

  it('the right organisation afterwards runs as before', async () => {
    const r = await env.run(base);
    expect(r.status).toBe('succeeded');
    expect(r.counts.unchanged).toBe(120);
  });
});

describe('a scope change that would disable people', () => {
  it('is held whole (scope_changed) with no write; approved, it is applied', async () => {
    const o = env.dingtalk.control.org();
    // every department but one that has people of its own, listed one by one
    const dropped = o.departments.find(
      (d) => d.dept_id !== 1 && o.users.some((u) => u.dept_id_list.includes(d.dept_id)),
    );
    if (dropped === undefined) throw new Error('no department with people');
    const kept = o.departments.map((d) => d.dept_id).filter((id) => id !== dropped.dept_id);
    // the operator narrows the configured scope; nothing else holds it
    const loose = {
      maxDisableCount: 100_000,
      maxDisablePercent: 100,
      maxSourceDropPercent: 100,
      minOverlapPercent: 0,
    };
    const narrowed = env.profile({
      sync: {
        scope: { mode: 'departments', departmentIds: kept, includeSubDepartments: false },
        safety: loose,
      },
    });
    env.pds.control.resetCounters();
    const held = await env.run(narrowed);
    expect(held.status).toBe('held');
    expect(held.held).toMatchObject({ by: 'preflight', code: 'scope_changed', wholeRun: true });
    expect(env.pds.control.counters().writes).toEqual({});
    const approved = await env.run(narrowed, { trigger: 'approval', approvedRunId: held.runId });
    expect(approved.status).toBe('succeeded');
    expect(approved.counts.disabled).toBeGreaterThan(0);
  });
});

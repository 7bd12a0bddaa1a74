import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../src/simulators/dingtalk/server.js';
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
    expect(r.heldReason).toContain('minOverlapPercent');
    expect(env.pds.control.counters().writes).toEqual({});
    expect(env.pds.control.state()).toEqual(before);
  });

  it('the right organisation afterwards runs as before', async () => {
    const r = await env.run(base);
    expect(r.status).toBe('succeeded');
    expect(r.counts.unchanged).toBe(120);
  });
});

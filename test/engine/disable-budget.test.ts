import { afterEach, describe, expect, it } from '@jest/globals';
import type { Org } from '../../bench/independent-check.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/*
 * The rolling disable budget (issue 28.4) against both simulators and a test clock: a slow drip
 * of leavers, each run under the per-run breaker, is caught by the week's count.
 */

const envs: SimEnv[] = [];
afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.close()));
});

const DAY_MS = 24 * 3600_000;

describe('the rolling disable budget', () => {
  it('ten leavers a day against a weekly budget of 50 hold the excess on day 6, with the window’s figures', async () => {
    const env = await startSims({
      dingtalk: { orgSpec: { seed: 281, users: 80, departments: 5, depth: 1 } },
      name: 'disable-budget',
    });
    envs.push(env);
    // only the budget may hold: the breaker and the pre-flights are opened wide
    const p = env.profile({
      sync: {
        safety: {
          maxDisableCount: 1000,
          maxDisablePercent: 100,
          maxSourceDropPercent: 100,
          minOverlapPercent: 0,
          maxDisablesPerDay: 20,
          maxDisablesPerWeek: 50,
        },
      },
    });
    const start = Date.now();
    const at = (day: number) => start + day * DAY_MS;
    const clock = (day: number) => ({ now: () => new Date(at(day)) });
    expect((await env.run(p, {}, clock(0))).status).toBe('succeeded');
    const people = (env.dingtalk.control.org() as Org).users.map((u) => u.userid);
    const status = (userid: string) =>
      env.pds.control.state().users.find((u) => u.user_id === `dt_${userid}`)?.status;
    for (let day = 1; day <= 6; day++) {
      const leavers = people.slice((day - 1) * 10, day * 10);
      // each left an hour into the day, with a leave record
      for (const userid of leavers)
        env.dingtalk.control.mutate({ op: 'leave', userid, reason: 'oapi', at: at(day) - 60_000 });
      const r = await env.run(p, {}, clock(day));
      if (day < 6) {
        expect(r.status).toBe('succeeded');
        expect(r.counts.disabled).toBe(10);
        expect(leavers.map(status)).toEqual(leavers.map(() => 'disabled'));
        continue;
      }
      // day 6: none in the last 24 hours (the last ones were made exactly a day ago), fifty in
      // the last seven days: no room left
      expect(r.status).toBe('held');
      expect(r.held?.code).toBe('disable_budget');
      expect(r.heldReason).toMatchObject({
        code: 'disable_budget',
        params: { held: 10, applied: 0, day: 0, maxDay: 20, week: 50, maxWeek: 50 },
      });
      expect(r.counts.disabled).toBe(0);
      expect(leavers.map(status)).toEqual(leavers.map(() => 'enabled'));
      expect(r.held?.changes.map((c) => c.userid).sort()).toEqual([...leavers].sort());
    }
  });
});

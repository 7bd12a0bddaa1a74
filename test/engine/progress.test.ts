import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runSync, type RunProgress } from '../../src/engine/run-sync.js';
import { ProgressTracker } from '../../src/engine/progress.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

describe('progress tracker', () => {
  it('reports a change of phase at once and other updates at most once per interval', () => {
    let t = 0;
    const seen: RunProgress[] = [];
    const p = new ProgressTracker(
      (x) => seen.push(x),
      1000,
      () => t,
    );
    p.phase('source');
    p.dingtalk({ departments: 1, users: 10 }); // within the interval: held back
    t = 1500;
    p.pdsUsers(7); // past it: sent, with everything read so far
    p.phase('plan');
    expect(seen.map((x) => x.phase)).toEqual(['source', 'source', 'plan']);
    expect(seen[1]?.read).toEqual({ dingtalkDepartments: 1, dingtalkUsers: 10, pdsUsers: 7 });
    expect(seen[2]?.read).toEqual(seen[1]?.read);
  });

  it('the last record of apply is always reported, so a watcher sees it finish', () => {
    const seen: RunProgress[] = [];
    const p = new ProgressTracker(
      (x) => seen.push(x),
      1000,
      () => 0,
    );
    p.phase('apply');
    const applied = { created: 0, updated: 0, disabled: 0, failed: 0 };
    p.apply({ done: 1, total: 2, applied });
    p.apply({ done: 2, total: 2, applied: { ...applied, created: 2 } });
    expect(seen.at(-1)).toMatchObject({ phase: 'apply', done: 2, total: 2, applied: { created: 2 } });
  });
});

let env: SimEnv;
beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 8, users: 80, departments: 5 } }, name: 'progress' });
});
afterAll(async () => {
  await env.close();
});

describe('a run reports its progress', () => {
  it('with the phase (reading, planning, applying) and the counts so far', async () => {
    env.pds.control.seed({
      users: [{ user_id: 'someone', nick_name: 'By hand', role: 'user', status: 'enabled' }],
    });
    const profile = env.profile();
    const seen: RunProgress[] = [];
    const deps = engineFactory({
      keepRuns: 10,
      redis: env.redis,
      keys: new StateKeys(env.prefix),
      pacer: new RedisPacer(env.redis, env.prefix),
      egress: new RedisEgressPause(env.redis, env.prefix, 300),
      log: env.log,
    })(profile, new AbortController().signal, (p) => seen.push(p));
    const report = await runSync(
      { runId: 'progress1', profile, trigger: 'manual', dryRun: false, deep: false },
      deps,
    );
    expect(report.status).toBe('succeeded');
    const phases = seen.map((p) => p.phase).filter((x, i, all) => all[i - 1] !== x);
    expect(phases[0]).toBe('source');
    expect(phases.slice(-3)).toEqual(['plan', 'apply', 'done']);
    const planning = seen.find((p) => p.phase === 'plan');
    expect(planning?.read).toMatchObject({
      dingtalkUsers: 80,
      pdsUsers: env.pds.control.state().users.length - 80,
    });
    expect(planning?.read.dingtalkDepartments).toBeGreaterThan(0);
    expect(seen.filter((p) => p.phase === 'apply').at(-1)).toMatchObject({
      done: 80,
      total: 80,
      applied: { created: 80, failed: 0 },
    });
  });
});

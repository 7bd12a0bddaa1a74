import { runDataOf } from '../../src/queue/jobs.js';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/process/logger.js';
import { producerConnection } from '../../src/redis/connections.js';
import { storedReport } from '../../src/cli/report-json.js';
import type { RunReport } from '../../src/report/types.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { SlotEnqueued } from '../../src/scheduler/enqueue-slot.js';
import { startDingTalkSimulator } from '../../sim/dingtalk/server.js';
import { startPdsSimulator } from '../../sim/pds/index.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { serviceEnv, startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { testKeyPair } from '../helpers/sims.js';
import { ORG_DEPARTMENTS, ORG_USERS, outcomeOf, type Cell } from './cell.js';
import { Matrix } from './matrix.js';
import { expectHeldAndConverged, remoteCell, type RemoteResult } from './remote.js';

/**
 * The config and time rows of the fault matrix (issue 16): a mistaken scope, another
 * organisation's DingTalk app, a swapped PDS domain, and scheduled slots across both DST changes
 * of Europe/Berlin with the clock injected.
 */

/** A second PDS domain, another company's: its users must stay byte-identical. */
async function otherDomain(c: Cell, clientId: string) {
  const b = await startPdsSimulator({ publicKey: testKeyPair().publicKeyPem, domainId: 'other2', clientId });
  c.onClose(() => b.close());
  b.control.seed({
    users: [
      { user_id: 'their-admin', nick_name: 'Their admin', role: 'admin', status: 'enabled' },
      { user_id: 'their-user', nick_name: 'Their user', role: 'user', status: 'enabled' },
      {
        user_id: 'dt_theirs',
        nick_name: 'Synced by them',
        role: 'user',
        status: 'enabled',
        user_data: { source: 'dingtalk', dtsync_profile: 'acme', dingtalk_userid: 'theirs' },
      },
    ],
    groups: [{ group_id: 'their-group', group_name: 'Theirs', is_root: true, parent_group_id: null }],
  });
  c.moreSecrets.push(() =>
    b.control.secretsSeen().accessTokens.map((value) => ({ label: 'PDS B token', value })),
  );
  return b;
}

/** Runs the fault run against domain B and records what happened to B's own users. */
function swappedDomainCell(clientId: 'same' | 'other') {
  return remoteCell(() => undefined, {
    run: async (c) => {
      const b = await otherDomain(c, clientId === 'same' ? c.env.pds.clientId : 'their-app');
      const before = b.control.state().users.map((u) => JSON.stringify(u));
      const report = await c.run(c.env.profile({ pds: { domainId: b.domainId, baseUrl: b.url } }));
      const after = new Set(b.control.state().users.map((u) => JSON.stringify(u)));
      c.notes.set('b-users-changed', String(before.filter((u) => !after.has(u)).length));
      c.notes.set('b-writes', String(Object.values(b.control.counters().writes).reduce((x, y) => x + y, 0)));
      c.notes.set('b-deletes', String(b.control.counters().calls['/v2/user/delete'] ?? 0));
      return report;
    },
    extra: (c) =>
      Promise.resolve({
        bUsersChanged: c.notes.get('b-users-changed'),
        bWrites: c.notes.get('b-writes'),
        bDeletes: c.notes.get('b-deletes'),
      }),
  });
}

/** The slots of a daily 02:05 Europe/Berlin profile, ticked at injected times, run by a real BullMQ worker. */
async function dstCell(c: Cell): Promise<RemoteResult> {
  await c.prepare();
  const schedule = { mode: 'auto', frequency: 'daily', hour: 2, delayMinutes: 5, timezone: 'Europe/Berlin' };
  const cfg = writeServiceConfig(c.env, { sync: { schedule } });
  c.onClose(async () => Promise.resolve(cfg.cleanup()));
  const config = loadConfig({ path: cfg.path, env: { ...process.env, ...serviceEnv(c.env) } }).config;
  const connection = producerConnection(process.env.REDIS_URL ?? '');
  const queue = openSyncQueue(connection, c.env.prefix);
  let now = new Date('2026-03-29T01:00:30Z'); // 03:00:30 CEST: 02:05 does not exist that night
  const scheduler = new Scheduler({
    queue,
    log: createLogger({ level: 'silent' }),
    now: () => now,
  });
  const stopWorker = await startWorkerHere(c.env, cfg.path);
  const history = new RunHistory(c.env.redis, new StateKeys(c.env.prefix), 100);
  const finished = async (runId: string): Promise<RunReport> => {
    // a run beside the other cells: minutes, on a loaded machine
    await until(async () => (await history.get(runId)) !== undefined, `run ${runId}`, 300_000, 50);
    const summary = await history.get(runId);
    if (summary === undefined) throw new Error(`no run ${runId}`);
    return storedReport(history, summary, { allChanges: false });
  };
  try {
    await scheduler.start({ ...config, scheduler: { ...config.scheduler, catchUpHours: 0 } });
    const ticks: (SlotEnqueued | undefined)[] = [];
    const observed = await c.observe(async () => {
      const spring = await scheduler.tick('acme');
      if (spring === undefined) throw new Error('no slot on the spring-forward night');
      ticks.push(spring);
      const springRun = await finished(spring.runId);
      c.churn(2);
      now = new Date('2026-10-25T00:05:30Z'); // 02:05:30 CEST, the first 02:05 of the night
      const fallFirst = await scheduler.tick('acme');
      now = new Date('2026-10-25T01:05:30Z'); // 02:05:30 CET, the same wall time again
      const fallSecond = await scheduler.tick('acme');
      if (fallFirst === undefined) throw new Error('no slot on the fall-back night');
      ticks.push(fallFirst, fallSecond);
      const fallRun = await finished(fallFirst.runId);
      return { springRun, fallRun };
    });
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']);
    const converge = await c.converge();
    return {
      fault: { ...observed, result: observed.result.fallRun },
      converge,
      fired: { dingtalkBurstLeft: null, dingtalkThrottled: 0, pds: c.env.pds.control.faults() },
      extra: {
        ticks: ticks.map((t) =>
          t === undefined ? 'nothing due' : { slot: t.slot, deduplicated: t.deduplicated },
        ),
        springStatus: observed.result.springRun.status,
        jobSlots: jobs.map((j) => runDataOf(j)?.slot).sort(),
      },
    };
  } finally {
    await scheduler.stop();
    await stopWorker();
    await queue.close();
    await connection.quit();
  }
}

const m = new Matrix<RemoteResult>(
  'fault-cfg',
  {
    'a scope narrowed by mistake': remoteCell(() => undefined, {
      run: (c) =>
        c.run(
          c.env.profile({
            sync: { scope: { mode: 'departments', departmentIds: [c.departmentHolding(0.5)] } },
          }),
        ),
    }),
    'a DingTalk app of another organisation': remoteCell(() => undefined, {
      run: async (c) => {
        const other = await startDingTalkSimulator({
          orgSpec: { seed: c.seed + 500, users: ORG_USERS, departments: ORG_DEPARTMENTS },
        });
        c.onClose(() => other.close());
        c.moreSecrets.push(() => [
          { label: 'other app secret', value: other.appSecret },
          ...other.control.tokensIssued().map((value) => ({ label: 'other app token', value })),
        ]);
        return c.run(
          c.env.profile({
            dingtalk: {
              appKey: other.appKey,
              appSecret: other.appSecret,
              oapiBaseUrl: other.url,
              apiBaseUrl: other.url,
            },
          }),
        );
      },
    }),
    'the PDS domain swapped, with the old domain’s credentials': swappedDomainCell('other'),
    'the PDS domain swapped, credentials and all': swappedDomainCell('same'),
    'slots across both DST changes of Europe/Berlin': dstCell,
  },
  1300,
);

// a test waits for its cell, which runs beside the others and, on a loaded machine, for minutes
jest.setTimeout(600_000);
beforeAll(() => m.start());
afterAll(() => m.close());

describe('fault matrix, config: a mistaken config is held, and touches no one it should not', () => {
  test('a scope narrowed by mistake: the pre-flight holds the whole run, 0 writes; converges', async () => {
    const r = await m.result('a scope narrowed by mistake');
    expect(outcomeOf(r.fault.result).status).toBe('held');
    expect(r.fault.result.held).toMatchObject({ by: 'preflight', wholeRun: true });
    expect(r.fault.writes).toBe(0);
    expectHeldAndConverged(r);
  });

  test('a DingTalk app of another organisation: no one of ours is disabled, deleted or duplicated', async () => {
    const r = await m.result('a DingTalk app of another organisation');
    expect(r.fault.violations).toEqual([]);
    expect(r.fault.result.counts.disabled).toBe(0);
  });

  test('a DingTalk app of another organisation is held whole, 0 writes, and the next run converges', async () => {
    const r = await m.result('a DingTalk app of another organisation');
    expect(r.fault.result.held).toMatchObject({ wholeRun: true });
    expect(r.fault.writes).toBe(0);
    expectHeldAndConverged(r);
  });

  test('the PDS domain swapped with the old credentials: fails before any write to either domain; converges', async () => {
    const r = await m.result('the PDS domain swapped, with the old domain’s credentials');
    expect(r.fault.result.status).toBe('failed');
    expect(r.fault.result.error?.code).toMatch(/^pds:/);
    expect(r.fault.writes).toBe(0);
    expect(Number(r.extra.bWrites ?? NaN)).toBe(0);
    expectHeldAndConverged(r);
  });

  test('the PDS domain swapped, credentials and all: held whole before any write to either domain; converges', async () => {
    const r = await m.result('the PDS domain swapped, credentials and all');
    expect(r.extra).toMatchObject({ bUsersChanged: '0', bDeletes: '0', bWrites: '0' });
    // the token names another domain than the last complete run wrote to
    expect(r.fault.result.held).toMatchObject({ by: 'preflight', code: 'target_changed', wholeRun: true });
    expect(r.fault.result.heldReason).toMatchObject({ params: { now: 'other2', recorded: 'sim1' } });
    expect(r.fault.result.counts.disabled).toBe(0);
    expect(r.fault.writes).toBe(0); // nothing reached the right domain either
    expectHeldAndConverged(r);
  });
});

describe('fault matrix, time: slots across DST are run once each', () => {
  test('spring-forward 02:05 runs at 03:00 once; the repeated fall-back 02:05 runs once; converges', async () => {
    const r = await m.result('slots across both DST changes of Europe/Berlin');
    const [spring, fallFirst, fallSecond] = r.extra.ticks as unknown[];
    expect(spring).toEqual({ slot: '2026-03-29T03:00[Europe/Berlin]', deduplicated: false });
    expect(fallFirst).toEqual({ slot: '2026-10-25T02:05[Europe/Berlin]', deduplicated: false });
    // the second 02:05 of the night is the same slot: nothing is due, or it is deduplicated
    expect(['nothing due', { slot: '2026-10-25T02:05[Europe/Berlin]', deduplicated: true }]).toContainEqual(
      fallSecond,
    );
    expect(r.extra.jobSlots).toEqual(['2026-03-29T03:00[Europe/Berlin]', '2026-10-25T02:05[Europe/Berlin]']);
    expect(r.extra.springStatus).toBe('succeeded');
    expect(r.fault.result.status).toBe('succeeded');
    expectHeldAndConverged(r);
  });

  test('no secret, token, phone number or email reaches Redis or a log line, in any cell', async () => {
    const { found, searched } = await m.secretsFound();
    expect(searched).toBeGreaterThan(500);
    expect(found).toEqual([]);
  });
});

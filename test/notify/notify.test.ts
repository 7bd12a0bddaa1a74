import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createLogger } from '../../src/process/logger.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { producerConnection } from '../../src/redis/connections.js';
import { METRICS } from '../../src/metrics/names.js';
import { MetricsWriter } from '../../src/metrics/metrics-writer.js';
import { metricsText } from '../../src/metrics/registry.js';
import { readSeries } from '../../src/metrics/store.js';
import { IncidentStore, ROBOT_PER_MINUTE } from '../../src/notify/incidents.js';
import { md } from '../../src/notify/messages.js';
import { Notifier } from '../../src/notify/notifier.js';
import { translator } from '../../src/i18n/catalog.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { nextSlot } from '../../src/calendar/slots.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import type { AlertState } from '../../src/notify/alert-state.js';
import { runCli } from '../helpers/cli.js';
import { buildConfig } from '../helpers/profile.js';
import { startRobotFake, type RobotFake } from '../helpers/robot-fake.js';
import {
  serviceEnv,
  startWorkerHere,
  until,
  writeServiceConfig,
  type ServiceConfigOptions,
} from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
const PUBLIC_URL = 'https://sync.example.com';

// a test awaits two or three whole runs on a worker in this process, each up to a minute (`until`)
// on a loaded machine: more than Jest's 60 s default for the test
jest.setTimeout(300_000);

let env: SimEnv | undefined;
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await env?.close();
  env = undefined;
});

interface Setup {
  readonly e: SimEnv;
  readonly robot: RobotFake;
  readonly config: Config;
  readonly configPath: string;
  readonly queue: SyncQueue;
  readonly history: RunHistory;
  /** A worker in this process; returns its stop function. */
  startWorker(): Promise<() => Promise<void>>;
}

async function setup(
  name: string,
  o: { users?: number; secret?: string; notify?: Record<string, unknown>; svc?: ServiceConfigOptions } = {},
): Promise<Setup> {
  const e = (env = await startSims({
    dingtalk: { orgSpec: { seed: 7, users: o.users ?? 40, departments: 4 } },
    name,
  }));
  const robot = await startRobotFake(SECRET);
  cleanups.push(() => robot.close());
  const cfg = writeServiceConfig(e, {
    ...o.svc,
    top: {
      web: { auth: { username: 'admin', password: 'pw-4e9a1c7b2d' }, publicUrl: PUBLIC_URL },
      notify: { dingtalkRobot: { webhook: robot.webhook, secret: o.secret ?? SECRET }, ...o.notify },
    },
  });
  cleanups.push(cfg.cleanup);
  const { config } = loadConfig({ path: cfg.path, env: { ...process.env, ...serviceEnv(e) } });
  const conn = producerConnection(process.env.REDIS_URL ?? '');
  const queue = openSyncQueue(conn, e.prefix);
  cleanups.push(async () => {
    await queue.close();
    conn.disconnect();
  });
  const history = new RunHistory(e.redis, new StateKeys(e.prefix), 100);
  const startWorker = async () => {
    const stop = await startWorkerHere(e, cfg.path);
    let stopped = false;
    const once = async () => {
      if (!stopped) await stop();
      stopped = true;
    };
    cleanups.push(once);
    return once;
  };
  return { e, robot, config, configPath: cfg.path, queue, history, startWorker };
}

async function counter(e: SimEnv, name: string, labels: Record<string, string>): Promise<number> {
  const { counters } = await readSeries(e.redis, e.prefix);
  const s = counters.find(
    (c) => c.name === name && Object.entries(labels).every(([k, v]) => c.labels[k] === v),
  );
  return s?.value ?? 0;
}

/** Every key and value under a prefix, as one text (strings, hashes, lists, sets, sorted sets). */
async function everythingUnder(e: SimEnv, prefix: string): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await e.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '500');
    cursor = next;
    for (const key of keys) {
      const type = await e.redis.type(key);
      out.push(key);
      if (type === 'string') out.push((await e.redis.getBuffer(key))?.toString('latin1') ?? '');
      if (type === 'hash') out.push(JSON.stringify(await e.redis.hgetall(key)));
      if (type === 'list') out.push(JSON.stringify(await e.redis.lrange(key, 0, -1)));
      if (type === 'set') out.push(JSON.stringify(await e.redis.smembers(key)));
      if (type === 'zset') out.push(JSON.stringify(await e.redis.zrange(key, '0', '-1')));
    }
  } while (cursor !== '0');
  return out.join('\n');
}

const ran = (s: Setup, runId: string, status: string) => async () =>
  (await s.history.get(runId))?.status === status;

async function realRun(s: Setup, status = 'succeeded'): Promise<string> {
  const { runId } = await enqueueManual(s.queue, 'acme', { dryRun: false, deep: false });
  await until(ran(s, runId, status), `run ${runId} ${status}`);
  // the report is saved before the job ends: wait for the job too, or the next "sync now"
  // would be given this run back as the one still active
  await until(async () => {
    const state = await (await s.queue.getJob(runId))?.getState();
    return state === undefined || state === 'completed' || state === 'failed';
  }, `job ${runId} to end`);
  return runId;
}

describe('notifications to a DingTalk group robot', () => {
  it('a failed run sends one signed message on its last attempt, none for the retried one, and the next success one resolved message', async () => {
    const s = await setup('notify-failed');
    await s.startWorker();
    s.e.pds.control.setFaults({
      inject: { count: 100, paths: ['/v2/user/list'], status: 400, code: 'InvalidParameter' },
    });
    const job = await s.queue.add(
      'sync-run',
      { profileId: 'acme', trigger: 'manual', dryRun: false, deep: false },
      { attempts: 2, backoff: { type: 'fixed', delay: 1500 } },
    );
    const runId = String(job.id);
    // between the attempts: the first failure is counted, and no incident or message came of it
    await until(
      async () => (await counter(s.e, METRICS.runs.name, { status: 'retrying' })) === 1,
      'the first attempt counted',
    );
    // read first, then the job's state: still delayed afterwards, the reads were between the
    // attempts (read after it, a slow read could meet the second attempt's message)
    const incidents = new IncidentStore(s.e.redis, s.e.prefix);
    const open = await incidents.openIncidents('acme');
    const sent = s.robot.accepted.length;
    if ((await job.getState()) === 'delayed') {
      expect(open).toEqual({});
      expect(sent).toBe(0);
    }
    // both attempts have ended and their after-run work is done
    await until(
      async () =>
        (await counter(s.e, METRICS.runs.name, { status: 'retrying' })) === 1 &&
        (await counter(s.e, METRICS.runs.name, { status: 'failed' })) === 1 &&
        (await counter(s.e, METRICS.notifications.name, { outcome: 'ok' })) === 1,
      'both attempts counted and one notification sent',
    );
    expect(await job.getState()).toBe('failed');
    expect(s.robot.refused).toEqual([]);
    expect(s.robot.accepted).toHaveLength(1);
    const failed = s.robot.accepted[0]?.markdown;
    expect(failed?.title).toContain('同步失败');
    expect(failed?.text).toContain('失败原因');
    expect(failed?.text).toContain(`${PUBLIC_URL}/runs/${runId}`);

    s.e.pds.control.setFaults({ inject: null });
    await realRun(s);
    await until(() => s.robot.accepted.length === 2, 'the resolved message');
    const resolved = s.robot.accepted[1]?.markdown;
    expect(resolved?.title).toContain('已恢复');
    expect(resolved?.text).toContain('同步失败');
    // a further success has nothing to resolve
    await realRun(s);
    await until(
      async () => (await counter(s.e, METRICS.runs.name, { status: 'succeeded' })) === 2,
      'the third run counted',
    );
    expect(s.robot.accepted).toHaveLength(2);
  });

  it('a held run sends one message naming the first 10 people it would disable, with the count of the rest and a link', async () => {
    const s = await setup('notify-held', {
      svc: { sync: { safety: { maxDisableCount: 5, maxDisablePercent: 100, maxSourceDropPercent: 100 } } },
    });
    await s.startWorker();
    await realRun(s);
    const leavers = s.e.dingtalk.control
      .org()
      .users.slice(0, 12)
      .map((u) => ({ userid: u.userid, name: u.name }));
    for (const l of leavers) s.e.dingtalk.control.mutate({ op: 'leave', userid: l.userid });
    const heldRun = await realRun(s, 'held');
    await until(() => s.robot.accepted.length === 1, 'the held message');
    const m = s.robot.accepted[0]?.markdown;
    expect(m?.title).toContain('待审批');
    const named = (await s.history.heldEntries(heldRun))
      .filter((c) => c.kind === 'disable')
      .map((c) => c.name ?? '');
    expect(named).toHaveLength(12);
    const shown = named.filter((n) => m?.text.includes(n));
    expect(shown.length).toBe(10);
    expect(m?.text).toContain('批准后将禁用 12 人');
    expect(m?.text).toContain('另有 2 人');
    expect(m?.text).toContain(`${PUBLIC_URL}/runs/${heldRun}`);
    // the held gauges, as a web process serves them
    const text = await metricsText(s.e.redis, s.queue, s.config);
    expect(text).toContain('dtsync_runs_held{profile="acme"} 1\n');
    const since = Math.floor(Date.parse((await s.history.get(heldRun))?.startedAt ?? '') / 1000);
    expect(text).toContain(`dtsync_run_held_since_timestamp_seconds{profile="acme"} ${since}\n`);
    // the same hold seen again is the same incident
    await realRun(s, 'held');
    await until(
      async () => (await counter(s.e, METRICS.runs.name, { status: 'held' })) === 2,
      'the second hold counted',
    );
    expect(s.robot.accepted).toHaveLength(1);
  });

  it('a run that ended with record errors sends one message with the failure reasons', async () => {
    const s = await setup('notify-records');
    await s.startWorker();
    s.e.pds.control.setFaults({
      inject: { count: 1, paths: ['/v2/user/create'], status: 400, code: 'InvalidParameter' },
    });
    await realRun(s, 'succeeded_with_errors');
    await until(() => s.robot.accepted.length === 1, 'the record-errors message');
    const m = s.robot.accepted[0]?.markdown;
    expect(m?.title).toContain('1 条记录导入失败');
    expect(m?.text).toContain('失败原因');
    expect(m?.text).toContain('（创建）'); // the failed record's action, worded from the union
    expect(m?.text).toContain('导入结果');
    await until(
      async () => (await counter(s.e, METRICS.recordsFailed.name, { profile: 'acme' })) === 1,
      'the failed record counted',
    );
    expect(await counter(s.e, METRICS.runs.name, { status: 'succeeded_with_errors' })).toBe(1);
  });

  it('the scheduler sends one staleness message when no run succeeded for two schedule periods, and a success resolves it', async () => {
    const s = await setup('notify-stale', {
      svc: { sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 3, delayMinutes: 0 } } },
    });
    const stopWorker = await s.startWorker();
    const first = await realRun(s);
    await stopWorker(); // the slots the ticks enqueue wait until a worker starts again
    const finished = Date.parse((await s.history.get(first))?.finishedAt ?? '');
    const profile = s.config.profiles[0]!;
    let clock = new Date(finished);
    const metrics = new MetricsWriter(s.e.redis, s.e.prefix, createLogger({ level: 'silent' }));
    cleanups.push(() => metrics.close());
    const notifier = new Notifier({
      redis: s.e.redis,
      config: s.config,
      log: createLogger({ level: 'silent' }),
      count: (n, l) => metrics.count(n, l),
      now: () => clock,
    });
    const scheduler = new Scheduler({
      queue: s.queue,
      log: createLogger({ level: 'silent' }),
      now: () => clock,
      onSlot: (p) => notifier.checkStale(p),
    });
    await scheduler.start(s.config);
    cleanups.push(() => scheduler.stop());
    const slotAfter = (ms: number) =>
      new Date(
        (nextSlot(profile, new Date(finished + ms), s.config.scheduler.spreadMinutes)?.getTime() ?? 0) +
          30_000,
      );
    clock = slotAfter(24 * 3_600_000); // one period later: not stale
    await scheduler.tick('acme');
    expect(s.robot.accepted).toHaveLength(0);
    clock = slotAfter(49 * 3_600_000); // more than two periods after the last success
    await scheduler.tick('acme');
    expect(s.robot.accepted).toHaveLength(1);
    expect(s.robot.accepted[0]?.markdown.title).toContain('长时间未成功同步');
    clock = slotAfter(73 * 3_600_000); // still stale at the next slot: the same incident
    await scheduler.tick('acme');
    expect(s.robot.accepted).toHaveLength(1);

    await s.startWorker(); // runs the queued slots; the first success resolves the incident
    await until(() => s.robot.accepted.length === 2, 'the resolved message');
    expect(s.robot.accepted[1]?.markdown.title).toContain('已恢复');
    expect(s.robot.accepted[1]?.markdown.text).toContain('长时间未成功同步');
  });

  it('a robot with the wrong secret refuses the message (310000), which is counted as an error and shown as failed', async () => {
    const s = await setup('notify-wrong', { secret: 'SECnot-the-robots-secret' });
    await s.startWorker();
    s.e.pds.control.setFaults({
      inject: { count: 100, paths: ['/v2/user/list'], status: 400, code: 'InvalidParameter' },
    });
    await s.queue.add(
      'sync-run',
      { profileId: 'acme', trigger: 'manual', dryRun: false, deep: false },
      { attempts: 1 },
    );
    await until(
      async () => (await counter(s.e, METRICS.notifications.name, { channel: 'dingtalk_robot' })) === 1,
      'the notification counted',
    );
    expect(s.robot.accepted).toEqual([]);
    expect(s.robot.refused).toEqual([{ errcode: 310000, errmsg: 'sign not match' }]);
    expect(
      await counter(s.e, METRICS.notifications.name, { channel: 'dingtalk_robot', outcome: 'error' }),
    ).toBe(1);
    const last = await new IncidentStore(s.e.redis, s.e.prefix).last('acme');
    expect(last?.results).toEqual([
      { channel: 'dingtalk_robot', outcome: 'error', detail: 'errcode 310000: sign not match' },
    ]);
    // dtsync status shows the open incident and that its notification failed
    const status = await runCli(['status', 'acme', '--json', '--config', s.configPath], serviceEnv(s.e));
    expect(status.code).toBe(0);
    const [st] = JSON.parse(status.stdout) as [{ alerts: AlertState }];
    expect(st.alerts.openIncidents.map((i) => i.kind)).toEqual(['failed']);
    expect(st.alerts.lastNotification).toMatchObject({ kind: 'failed', state: 'open', failed: true });
    const text = await runCli(['status', 'acme', '--config', s.configPath], serviceEnv(s.e));
    expect(text.stdout).toMatch(
      /alerts: sync failed since .*\n.*last notification: .* sync failed open FAILED: DingTalk robot error \(errcode 310000: sign not match\)/,
    );
    // neither the robot's access_token nor a secret is stored anywhere in Redis
    const stored = await everythingUnder(s.e, s.e.prefix);
    expect(stored).toContain('sign not match');
    for (const secret of ['robot-token-123', 'SECnot-the-robots-secret'])
      expect(stored).not.toContain(secret);
  });

  it('a run completes while the webhook holds its request open, and the timeout is counted', async () => {
    const hook = await startRobotFake(SECRET);
    cleanups.push(() => hook.close());
    hook.hang(true);
    const s = await setup('notify-hang', {
      notify: {
        dingtalkRobot: undefined,
        webhook: { url: `${hook.webhook.split('?')[0]}` },
        timeoutSeconds: 1,
      },
    });
    await s.startWorker();
    s.e.pds.control.setFaults({
      inject: { count: 1, paths: ['/v2/user/create'], status: 400, code: 'InvalidParameter' },
    });
    const { runId } = await enqueueManual(s.queue, 'acme', { dryRun: false, deep: false });
    await until(() => hook.held.length === 1, 'the webhook request held open');
    // the run is already done: the notification is not on its path
    const job = await s.queue.getJob(runId);
    expect(await job?.getState()).toBe('completed');
    expect((await s.history.get(runId))?.status).toBe('succeeded_with_errors');
    await until(
      async () =>
        (await counter(s.e, METRICS.notifications.name, { channel: 'webhook', outcome: 'timeout' })) === 1,
      'the timeout counted',
    );
    expect(s.robot.accepted).toEqual([]); // the robot was switched off for this test
  });

  it(`a robot takes at most ${ROBOT_PER_MINUTE} messages a minute`, async () => {
    const e = (env = await startSims({ name: 'notify-rate' }));
    const store = new IncidentStore(e.redis, e.prefix);
    const at = Date.UTC(2026, 11, 1, 3, 0, 5);
    const taken = [];
    for (let i = 0; i <= ROBOT_PER_MINUTE; i++)
      taken.push(await store.robotSlot('https://robot/send?access_token=x', at));
    expect(taken.filter(Boolean)).toHaveLength(ROBOT_PER_MINUTE);
    expect(taken.at(-1)).toBe(false);
    expect(await store.robotSlot('https://robot/send?access_token=x', at + 60_000)).toBe(true);
  });
});

describe('notify settings', () => {
  it("a profile's own notify block replaces the top-level one", async () => {
    const e = (env = await startSims({ name: 'notify-override' }));
    const top = await startRobotFake(SECRET, 'top-token');
    const own = await startRobotFake(SECRET, 'own-token');
    cleanups.push(
      () => top.close(),
      () => own.close(),
    );
    const profile = (id: string, notify?: Record<string, unknown>) => ({
      id,
      dingtalk: { appKey: 'k', appSecret: 's' },
      pds: { domainId: `d-${id}`, clientId: 'c', privateKey: 'x' },
      ...(notify === undefined ? {} : { notify }),
    });
    const config = buildConfig({
      redis: { prefix: e.prefix },
      notify: { dingtalkRobot: { webhook: top.webhook, secret: SECRET } },
      profiles: [
        profile('plain'),
        profile('own', { dingtalkRobot: { webhook: own.webhook, secret: SECRET }, locale: 'en' }),
      ],
    });
    const notifier = new Notifier({
      redis: e.redis,
      config,
      log: createLogger({ level: 'silent' }),
      count: () => Promise.resolve(),
    });
    const failed = (profileId: string) =>
      notifier.runEnded({
        runId: `r-${profileId}`,
        profileId,
        trigger: 'manual',
        dryRun: false,
        final: true,
        report: undefined,
        error: 'boom',
      });
    await failed('plain');
    await failed('own');
    expect(top.accepted.map((m) => m.markdown.title)).toEqual(['钉钉同步：同步失败（plain）']);
    expect(own.accepted.map((m) => m.markdown.title)).toEqual(['DingTalk sync failed (own)']);
  });
});

describe('a failed run that saved no report', () => {
  it('is worded from the catalog in the profile locale (zh-CN or en), the worker line only quoted', async () => {
    const e = (env = await startSims({ name: 'notify-no-report' }));
    const zhRobot = await startRobotFake(SECRET, 'zh-token');
    const enRobot = await startRobotFake(SECRET, 'en-token');
    cleanups.push(
      () => zhRobot.close(),
      () => enRobot.close(),
    );
    const profile = (id: string, webhook: string, locale?: string) => ({
      id,
      dingtalk: { appKey: 'k', appSecret: 's' },
      pds: { domainId: `d-${id}`, clientId: 'c', privateKey: 'x' },
      notify: { dingtalkRobot: { webhook, secret: SECRET }, ...(locale === undefined ? {} : { locale }) },
    });
    const config = buildConfig({
      redis: { prefix: e.prefix },
      profiles: [profile('zh', zhRobot.webhook), profile('en', enRobot.webhook, 'en')],
    });
    const notifier = new Notifier({
      redis: e.redis,
      config,
      log: createLogger({ level: 'silent' }),
      count: () => Promise.resolve(),
    });
    const lostLock = 'job stalled more than allowable limit';
    for (const profileId of ['zh', 'en'])
      await notifier.runEnded({
        runId: `r-${profileId}`,
        profileId,
        trigger: 'manual',
        dryRun: false,
        final: true,
        report: undefined,
        error: lostLock,
      });
    // the lines after the heading and the run line: the catalog's words, the worker's line quoted
    const after = (r: RobotFake) => r.accepted[0]?.markdown.text.split('\n\n').slice(2);
    const zhT = translator('zh-CN');
    const enT = translator('en');
    expect(after(zhRobot)).toEqual([
      zhT('notify.failed.noReport'),
      zhT('notify.failed.workerSaid', { error: md(lostLock) }),
    ]);
    expect(after(enRobot)).toEqual([
      enT('notify.failed.noReport'),
      enT('notify.failed.workerSaid', { error: md(lostLock) }),
    ]);
    expect(zhT('notify.failed.noReport')).toMatch(/^失败原因：同步没有留下同步记录/);
  });
});

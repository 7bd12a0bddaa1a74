import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisClient } from '../../src/redis/client.js';
import { loadConfig } from '../../src/config/load.js';
import { producerConnection, workerConnection } from '../../src/redis/connections.js';
import {
  runDataOf,
  SYNC_QUEUE,
  type JobData,
  type JobName,
  type JobResult,
  type SyncJobData,
} from '../../src/queue/jobs.js';
import { openSyncQueue, syncJobOptions, type SyncQueue } from '../../src/queue/queue.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { tempDir } from '../helpers/files.js';
import { dropPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { schedulerConfig, schedulerYaml } from '../helpers/schedule.js';
import { captureLog, type LogLine } from '../helpers/scheduler-log.js';

const tmp = tempDir();
let redis: Redis;
let connection: RedisClient;
let prefix: string;
let queue: SyncQueue;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  redis = testRedis();
});
beforeEach(() => {
  prefix = uniquePrefix('sched');
  connection = producerConnection(testRedisUrl());
  queue = openSyncQueue(connection, prefix);
});
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
  await queue.close();
  await connection.quit();
  await dropPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
  tmp.cleanup();
});

/** A settable clock: slot decisions never read the real time in these tests. */
function clockAt(iso: string) {
  const clock = { now: new Date(iso), set: (next: string) => (clock.now = new Date(next)) };
  return clock;
}

function newScheduler(clock: { now: Date }, q: SyncQueue = queue) {
  const { log, lines } = captureLog();
  const scheduler = new Scheduler({ queue: q, log, now: () => clock.now });
  cleanups.push(() => scheduler.stop());
  return { scheduler, lines };
}

const jobsIn = async (q: SyncQueue) =>
  (await q.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']))
    .map((j) => runDataOf(j)?.slot)
    .sort();

const daily3 = { frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'UTC' };

describe('scheduler catch-up', () => {
  it('a slot missed within catchUpHours is enqueued once by a starting scheduler, and a second start is a no-op', async () => {
    const config = schedulerConfig({
      acme: daily3,
      late: { frequency: 'daily', hour: 20, delayMinutes: 0, timezone: 'UTC' }, // 9 h ago: too old
      quiet: { mode: 'manual' },
    });
    const clock = clockAt('2026-05-10T05:07:00Z');
    const first = await newScheduler(clock).scheduler.start(config);
    expect(first).toEqual([
      {
        profileId: 'acme',
        slot: '2026-05-10T03:07[UTC]',
        runId: expect.any(String),
        deduplicated: false,
        cause: 'catch-up',
      },
    ]);
    const second = await newScheduler(clock).scheduler.start(config);
    expect(second).toEqual([{ ...first[0], deduplicated: true }]);
    expect(await jobsIn(queue)).toEqual(['2026-05-10T03:07[UTC]']);
  });

  it('a slot whose job completed and was removed is not enqueued again by a later start', async () => {
    // retention that removes a completed job at once, as `removeOnComplete` does in production
    const removing: SyncQueue = new Queue<JobData, JobResult, JobName>(SYNC_QUEUE, {
      connection,
      prefix,
      defaultJobOptions: { ...syncJobOptions(), removeOnComplete: true },
    });
    cleanups.push(() => removing.close());
    const clock = clockAt('2026-05-10T05:07:00Z');
    const config = schedulerConfig({ acme: daily3 });
    expect(await newScheduler(clock, removing).scheduler.start(config)).toHaveLength(1);

    const wconn = workerConnection(testRedisUrl());
    const worker = new Worker<SyncJobData, null, JobName>(SYNC_QUEUE, () => Promise.resolve(null), {
      connection: wconn,
      prefix,
    });
    await new Promise<void>((resolve) => worker.once('completed', () => resolve()));
    await worker.close();
    await wconn.quit();
    expect(await jobsIn(removing)).toEqual([]);

    const again = await newScheduler(clock, removing).scheduler.start(config);
    expect(again).toEqual([expect.objectContaining({ slot: '2026-05-10T03:07[UTC]', deduplicated: true })]);
    expect(await jobsIn(removing)).toEqual([]);
  });

  it('a slot older than catchUpHours is not enqueued by a starting scheduler', async () => {
    const clock = clockAt('2026-05-10T09:07:01Z'); // 6 h and 1 s after 03:07
    const { scheduler } = newScheduler(clock);
    expect(await scheduler.start(schedulerConfig({ acme: daily3 }, 6))).toEqual([]);
    expect(await jobsIn(queue)).toEqual([]);
  });

  it('a start logs each profile next run with its ISO time, and that an unscheduled profile is not scheduled', async () => {
    const clock = clockAt('2026-05-10T12:00:00Z');
    const { scheduler, lines } = newScheduler(clock);
    await scheduler.start(schedulerConfig({ acme: daily3, quiet: { mode: 'manual' } }));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: 'next scheduled run',
          profileId: 'acme',
          nextRun: '2026-05-11T03:07:00.000Z',
        }),
        expect.objectContaining({ msg: 'profile not scheduled', profileId: 'quiet', reason: 'manual' }),
      ]),
    );
    expect([...scheduler.nextRuns()]).toEqual([['acme', new Date('2026-05-11T03:07:00Z')]]);
  });
});

describe('scheduler ticks', () => {
  it('a tick enqueues the slot just due and logs it; a clamped monthly pattern enqueues nothing on its rejected days', async () => {
    const clock = clockAt('2026-03-20T00:00:00Z');
    const { scheduler, lines } = newScheduler(clock);
    await scheduler.start(
      schedulerConfig(
        { acme: { frequency: 'monthly', dayOfMonth: 31, hour: 4, delayMinutes: 3, timezone: 'UTC' } },
        0,
      ),
    );
    clock.set('2026-03-28T04:03:00.200Z'); // `3 4 28-31 * *` fires; the slot is the 31st
    expect(await scheduler.tick('acme')).toBeUndefined();
    clock.set('2026-03-31T04:03:00.200Z');
    const due = await scheduler.tick('acme');
    expect(due).toEqual(
      expect.objectContaining({ slot: '2026-03-31T04:03[UTC]', deduplicated: false, cause: 'tick' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'scheduled run enqueued',
        profileId: 'acme',
        slot: '2026-03-31T04:03[UTC]',
        runId: due?.runId,
        deduplicated: false,
      }),
    );
    clock.set('2026-04-30T04:03:00.200Z');
    expect((await scheduler.tick('acme'))?.slot).toBe('2026-04-30T04:03[UTC]');
    expect(await jobsIn(queue)).toEqual(['2026-03-31T04:03[UTC]', '2026-04-30T04:03[UTC]']);
  });

  it('a tick of a manual or unknown profile enqueues nothing', async () => {
    const clock = clockAt('2026-05-10T03:07:30Z');
    const { scheduler } = newScheduler(clock);
    await scheduler.start(
      schedulerConfig({ acme: daily3, quiet: { mode: 'manual', frequency: 'daily', hour: 3 } }, 0),
    );
    expect(await scheduler.tick('quiet')).toBeUndefined();
    expect(await scheduler.tick('nobody')).toBeUndefined();
    expect(await jobsIn(queue)).toEqual([]);
  });
});

describe('scheduler reload (SIGHUP)', () => {
  const write = (name: string, hour: number | string, catchUpHours = 6) =>
    tmp.write(name, schedulerYaml({ acme: { ...daily3, hour } }, { catchUpHours }));
  const nextRunLines = (lines: LogLine[]) =>
    lines.filter((l) => l.msg === 'next scheduled run').map((l) => l.nextRun);

  it('a reload keeps exactly one job per slot and picks up a changed hour', async () => {
    const path = write(`r-${prefix}.yaml`, 3);
    const clock = clockAt('2026-05-10T03:30:00Z');
    const { scheduler, lines } = newScheduler(clock);
    await scheduler.start(loadConfig({ path }).config);
    const reload = () => scheduler.reload(() => loadConfig({ path }).config);

    expect(await reload()).toBe(true); // same config: the 03:07 slot is deduplicated
    expect(await jobsIn(queue)).toEqual(['2026-05-10T03:07[UTC]']);

    write(`r-${prefix}.yaml`, 5);
    expect(await reload()).toBe(true);
    expect(scheduler.nextRuns().get('acme')?.toISOString()).toBe('2026-05-10T05:07:00.000Z');
    expect(nextRunLines(lines)).toEqual([
      '2026-05-11T03:07:00.000Z',
      '2026-05-11T03:07:00.000Z',
      '2026-05-10T05:07:00.000Z',
    ]);

    clock.set('2026-05-10T05:08:00Z');
    expect(await reload()).toBe(true);
    expect(await reload()).toBe(true);
    expect(await jobsIn(queue)).toEqual(['2026-05-10T03:07[UTC]', '2026-05-10T05:07[UTC]']);
  });

  it('a slot that falls inside a reload is still enqueued, even with catchUpHours 0', async () => {
    const path = write(`z-${prefix}.yaml`, 3, 0);
    const clock = clockAt('2026-05-10T03:06:30Z');
    const { scheduler } = newScheduler(clock);
    expect(await scheduler.start(loadConfig({ path }).config)).toEqual([]);
    clock.set('2026-05-10T03:07:20Z'); // the old cron was stopped before it could fire
    expect(await scheduler.reload(() => loadConfig({ path }).config)).toBe(true);
    expect(await jobsIn(queue)).toEqual(['2026-05-10T03:07[UTC]']);
  });

  it('an invalid config on reload is logged and the old schedule kept', async () => {
    const path = write(`bad-${prefix}.yaml`, 3);
    const clock = clockAt('2026-05-10T12:00:00Z');
    const { scheduler, lines } = newScheduler(clock);
    await scheduler.start(loadConfig({ path }).config);
    write(`bad-${prefix}.yaml`, 25);
    expect(await scheduler.reload(() => loadConfig({ path }).config)).toBe(false);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'config reload failed: keeping the current schedule',
        problems: ['profiles[0].sync.schedule.hour: must be 0-23'],
      }),
    );
    expect(scheduler.nextRuns().get('acme')?.toISOString()).toBe('2026-05-11T03:07:00.000Z');
  });

  it('a reload after stop is ignored', async () => {
    const clock = clockAt('2026-05-10T12:00:00Z');
    const { scheduler } = newScheduler(clock);
    await scheduler.start(schedulerConfig({ acme: daily3 }));
    await scheduler.stop();
    expect(await scheduler.reload(() => schedulerConfig({ acme: daily3 }))).toBe(false);
  });
});

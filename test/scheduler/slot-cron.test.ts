import { describe, expect, it } from '@jest/globals';
import { producerConnection } from '../../src/redis/connections.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { startSlotCron } from '../../src/scheduler/slot-cron.js';
import { slotRule } from '../../src/calendar/slots.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { schedulerConfig, scheduledProfile } from '../helpers/schedule.js';
import { captureLog } from '../helpers/scheduler-log.js';

const daily3 = { frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'UTC' };

describe('slot cron', () => {
  it('a tick that throws (Redis gone) is logged and the cron keeps its schedule', async () => {
    const { log, lines } = captureLog();
    // a real queue whose connection is closed: enqueue fails the way a Redis outage does
    const connection = producerConnection(testRedisUrl());
    const queue = openSyncQueue(connection, uniquePrefix('sched-cron'));
    queue.on('error', () => undefined); // the failure under test; BullMQ would print it
    await queue.waitUntilReady();
    await connection.quit();
    const scheduler = new Scheduler({ queue, log, now: () => new Date('2026-05-10T03:07:05Z') });
    await scheduler.start(schedulerConfig({ acme: daily3 }, 0));

    let ticks = 0;
    const cron = startSlotCron(slotRule(scheduledProfile(daily3))!, 'acme', log, async () => {
      ticks++;
      await scheduler.tick('acme');
    });
    try {
      await cron.trigger();
      await cron.trigger();
      expect(ticks).toBe(2);
      const failures = lines.filter((l) => l.msg === 'scheduled enqueue failed');
      expect(failures).toEqual([
        expect.objectContaining({ profileId: 'acme', err: expect.stringMatching(/closed/i) }),
        expect.objectContaining({ profileId: 'acme', err: expect.stringMatching(/closed/i) }),
      ]);
      expect(cron.isStopped()).toBe(false);
      expect(cron.nextRun()).not.toBeNull();
    } finally {
      cron.stop();
      await scheduler.stop();
      await queue.close();
    }
  });

  it('the cron runs in the profile zone and is protected against overlapping ticks', () => {
    const { log } = captureLog();
    const cron = startSlotCron(
      slotRule(scheduledProfile({ ...daily3, timezone: 'America/New_York' }))!,
      'acme',
      log,
      () => Promise.resolve(),
    );
    try {
      expect(cron.getPattern()).toBe('7 3 * * *');
      expect(cron.options.timezone).toBe('America/New_York');
      expect(cron.options.protect).toEqual(expect.any(Function));
      expect(cron.options.catch).toEqual(expect.any(Function));
    } finally {
      cron.stop();
    }
  });
});

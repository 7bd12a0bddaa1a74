import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { Notifier } from '../../src/notify/notifier.js';
import { QuotaAlerts } from '../../src/notify/quota-alerts.js';
import { createLogger } from '../../src/process/logger.js';
import { MonthlyCallCounter } from '../../src/quota/call-counter.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { firstGenerationReport } from '../fixtures/stored-v1.js';
import { buildConfig } from '../helpers/profile.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { startRobotFake, type RobotFake } from '../helpers/robot-fake.js';

const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
let NOW = new Date('2026-12-20T00:00:00Z');
const LIST = '/topapi/v2/user/list';

let redis: Redis;
let prefix: string;
let robot: RobotFake;
beforeAll(async () => {
  redis = testRedis();
  prefix = uniquePrefix('quota-alert');
  robot = await startRobotFake(SECRET);
});
afterAll(async () => {
  await robot.close();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

async function count(org: string, n: number): Promise<void> {
  const counter = new MonthlyCallCounter(redis, new StateKeys(prefix), { now: () => NOW });
  for (let i = 0; i < n; i++) counter.forOrg(org).count(LIST);
  await counter.close();
}

const profile = (id: string, corpId: string) => ({
  id,
  dingtalk: { appKey: `app-${id}`, appSecret: 's', corpId, monthlyQuota: 1000 },
  pds: { domainId: `d-${id}`, clientId: 'c', privateKey: 'unused' },
});

/** A run of the profile ended (an attempt BullMQ retries: no run message of its own). */
const ended = (profileId: string) => ({
  runId: `run-${profileId}`,
  profileId,
  trigger: 'schedule' as const,
  dryRun: false,
  final: false,
  report: undefined,
  error: undefined,
});

describe('the DingTalk robot and the monthly quota', () => {
  it('at 80 % of the quota used, a run that ends sends one alert per profile, and none below it', async () => {
    await count('corp-near', 800);
    await count('corp-room', 799);
    const config = buildConfig({
      redis: { prefix },
      locale: 'en',
      notify: { dingtalkRobot: { webhook: robot.webhook, secret: SECRET }, locale: 'en' },
      profiles: [profile('near', 'corp-near'), profile('room', 'corp-room')],
    });
    const log = createLogger({ level: 'silent', destination: process.stderr });
    const notifier = new QuotaAlerts({
      redis,
      config,
      log,
      notifier: new Notifier({ redis, config, log, count: () => Promise.resolve(), now: () => NOW }),
      now: () => NOW,
    });
    await notifier.runEnded(ended('room'));
    expect(robot.accepted).toEqual([]);
    await notifier.runEnded(ended('near'));
    await notifier.runEnded(ended('near'));
    expect(robot.accepted.map((m) => m.markdown.title)).toEqual([
      "DingTalk sync: 80 % of DingTalk's monthly quota used (corp-near)",
    ]);
    expect(robot.accepted[0]?.markdown.text).toContain(
      '800 metered calls in 2026-12 of a quota of 1000 (80%)',
    );
  });

  it('a run that succeeds once the month is below 80 % (the next month) resolves the alert, and a failed one does not', async () => {
    const config = buildConfig({
      redis: { prefix },
      notify: { dingtalkRobot: { webhook: robot.webhook, secret: SECRET }, locale: 'en' },
      profiles: [profile('near', 'corp-near')],
    });
    const log = createLogger({ level: 'silent', destination: process.stderr });
    const notifier = new Notifier({ redis, config, log, count: () => Promise.resolve(), now: () => NOW });
    const alerts = new QuotaAlerts({ redis, config, log, notifier, now: () => NOW });
    NOW = new Date('2027-01-02T00:00:00Z');
    const history = new RunHistory(redis, new StateKeys(prefix), 10);
    const stored = async (runId: string, status: string) => {
      await redis.set(
        new StateKeys(prefix).run(runId),
        JSON.stringify(firstGenerationReport(runId, { status, profileId: 'near' })),
      );
      return history.get(runId);
    };
    const before = robot.accepted.length;
    await alerts.runEnded({ ...ended('near'), final: true, report: await stored('jan-failed', 'failed') });
    expect(robot.accepted.length).toBe(before);
    expect(await notifier.incidents.openIncidents('near')).toHaveProperty('quota');
    await alerts.runEnded({ ...ended('near'), report: await stored('jan-ok', 'succeeded') });
    expect(robot.accepted.slice(before).map((m) => m.markdown.text)).toEqual([
      expect.stringContaining('DingTalk monthly quota at 80 %'),
    ]);
    expect(await notifier.incidents.openIncidents('near')).not.toHaveProperty('quota');
  });
});

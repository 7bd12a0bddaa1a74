import { runDataOf } from '../../src/queue/jobs.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Redis } from 'ioredis';
import { producerConnection } from '../../src/redis/connections.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import type { SlotEnqueued } from '../../src/scheduler/enqueue-slot.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { dropPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { schedulerYaml } from '../helpers/schedule.js';

const CHILD = 'test/fixtures/scheduler-child.ts';
const PROCESSES = 3;

const tmp = tempDir();
let redis: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  redis = testRedis();
});
afterEach(async () => {
  for (const p of prefixes.splice(0)) await dropPrefix(redis, p);
});
afterAll(async () => {
  await redis.quit();
  tmp.cleanup();
});

interface Child {
  readonly proc: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<{ code: number | null; results: SlotEnqueued[]; stderr: string }>;
}

function spawnScheduler(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: testRedisUrl(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: proc.stdout });
  const out: string[] = [];
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  lines.on('line', (line) => {
    if (line === 'ready') onReady();
    else out.push(line);
  });
  const done = new Promise<{ code: number | null; results: SlotEnqueued[]; stderr: string }>(
    (resolve, reject) => {
      proc.once('error', reject);
      proc.once('close', (code) => {
        onReady(); // a child that died before "ready" must not hang the test
        const last = out.at(-1);
        resolve({ code, results: last === undefined ? [] : (JSON.parse(last) as SlotEnqueued[]), stderr });
      });
    },
  );
  return { proc, ready, done };
}

/** Starts three scheduler processes, releases them together, and returns the queue's jobs. */
async function raceThree(mode: 'tick' | 'start', catchUpHours: number, now: string) {
  const prefix = uniquePrefix('sched-mp');
  prefixes.push(prefix);
  const config = tmp.write(
    `${mode}.yaml`,
    schedulerYaml(
      { acme: { frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'Europe/Berlin' } },
      { catchUpHours },
    ),
  );
  const env = {
    SCHED_PREFIX: prefix,
    SCHED_NOW: now,
    SCHED_MODE: mode,
    SCHED_PROFILE: 'acme',
    SCHED_CONFIG: config,
  };
  const children = Array.from({ length: PROCESSES }, () => spawnScheduler(env));
  await Promise.all(children.map((c) => c.ready));
  // every child is subscribed before "ready": all three receive the same go
  expect(await redis.publish(`${prefix}:go`, 'go')).toBe(PROCESSES);
  const ended = await Promise.all(children.map((c) => c.done));
  for (const e of ended) expect({ code: e.code, stderr: e.stderr }).toEqual({ code: 0, stderr: '' });

  const connection = producerConnection(testRedisUrl());
  const queue = openSyncQueue(connection, prefix);
  try {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']);
    return {
      jobs: jobs.map((j) => ({ id: j.id, name: j.name, data: j.data })),
      results: ended.flatMap((e) => e.results),
    };
  } finally {
    await queue.close();
    await connection.quit();
  }
}

describe('several scheduler processes', () => {
  it('three processes ticking on the same slot at once enqueue exactly one job', async () => {
    // 03:07 Berlin summer time is 01:07 UTC; the ticks come 20 s later
    const { jobs, results } = await raceThree('tick', 0, '2026-07-15T01:07:20Z');
    expect(jobs).toEqual([
      {
        id: expect.any(String),
        name: 'sync-run',
        data: expect.objectContaining({
          profileId: 'acme',
          trigger: 'schedule',
          slot: '2026-07-15T03:07[Europe/Berlin]',
        }),
      },
    ]);
    expect(results).toHaveLength(PROCESSES);
    expect(new Set(results.map((r) => r.runId))).toEqual(new Set([jobs[0]!.id]));
    expect(results.every((r) => r.cause === 'tick' && r.slot === '2026-07-15T03:07[Europe/Berlin]')).toBe(
      true,
    );
  });

  it('three processes starting at once inside the catch-up window enqueue exactly one job', async () => {
    const { jobs, results } = await raceThree('start', 6, '2026-07-15T04:00:00Z');
    expect(jobs).toHaveLength(1);
    expect(runDataOf(jobs[0])?.slot).toBe('2026-07-15T03:07[Europe/Berlin]');
    expect(results).toHaveLength(PROCESSES);
    expect(new Set(results.map((r) => r.runId))).toEqual(new Set([jobs[0]!.id]));
  });
});

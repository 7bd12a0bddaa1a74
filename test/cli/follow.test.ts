import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { PrivateRedis } from '../../sim/redis/private-redis.js';
import { producerConnection } from '../../src/redis/connections.js';
import { SYNC_QUEUE } from '../../src/queue/jobs.js';
import { openSyncQueue } from '../../src/queue/queue.js';
import { spawnCli, type CliResult } from '../helpers/cli.js';
import { ownRedis, restartEmpty, testRedisUrl } from '../helpers/redis.js';
import { serviceEnv, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

// No worker runs in these tests: the followed run stays waiting until its job or Redis goes.
let env: SimEnv;
const children: ChildProcess[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 5, users: 5, departments: 1 } }, name: 'follow' });
});

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    }
  }
  for (const f of cleanups.splice(0).reverse()) await f();
});

afterAll(async () => {
  await env.close();
});

/** `dtsync sync acme --wait` against the given Redis. */
function syncWait(redisUrl: string, wait: { checkSeconds?: number; redisLossSeconds?: number } = {}) {
  const cfg = writeServiceConfig(env, { wait });
  cleanups.push(cfg.cleanup);
  // no worker runs in these tests: the wait is for the other endings
  const cli = spawnCli(['sync', 'acme', '--wait', '--wait-for-worker', '--config', cfg.path], {
    ...serviceEnv(env),
    REDIS_URL: redisUrl,
  });
  children.push(cli.child);
  return cli.result;
}

/** Resolves once the CLI's QueueEvents is connected to the Redis at `url`: it follows the run. */
async function following(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const name = `${env.prefix}:${Buffer.from(SYNC_QUEUE).toString('base64')}:qe`;
  try {
    await until(async () => {
      const list = String(await redis.client('LIST'));
      return list.split('\n').some((line) => line.includes(` name=${name} `));
    }, 'the CLI to follow its run');
  } finally {
    redis.disconnect();
  }
}

/** The one line the command printed on stderr besides its progress: no stack trace, no second line. */
function oneLine(r: CliResult): string {
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => !/^\S+: queued, waiting for a sync worker$/.test(l));
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('sync --wait ends without an outcome (exit 7) instead of hanging', () => {
  it('--wait exits 7 with one line when its run is removed from the queue (checked every 5 s by default)', async () => {
    const result = syncWait(testRedisUrl());
    await following(testRedisUrl());
    const conn = producerConnection(testRedisUrl());
    const queue = openSyncQueue(conn, env.prefix);
    cleanups.push(async () => {
      await queue.close();
      conn.disconnect();
    });
    const [job] = await queue.getJobs(['waiting']);
    if (job?.id === undefined) throw new Error('the CLI queued no run');
    await job.remove();
    const r = await result;
    expect(oneLine(r)).toBe(
      `error: run ${job.id} no longer exists in Redis (its job was removed, or Redis restarted without its data): its outcome is unknown`,
    );
    expect(r.code).toBe(7);
  });

  it('--wait exits 7 with one line when Redis restarts without its data, losing the run', async () => {
    let redis: PrivateRedis = await ownRedis();
    cleanups.push(() => redis.stop());
    const result = syncWait(redis.url, { checkSeconds: 1 });
    await following(redis.url);
    redis = await restartEmpty(redis);
    const r = await result;
    expect(oneLine(r)).toMatch(/^error: run \S+ no longer exists in Redis \(.*\): its outcome is unknown$/);
    expect(r.code).toBe(7);
  });

  it('--wait exits 7 with one line when Redis stays out of reach longer than wait.redisLossSeconds', async () => {
    const redis = await ownRedis();
    cleanups.push(() => redis.stop());
    const result = syncWait(redis.url, { checkSeconds: 1, redisLossSeconds: 2 });
    await following(redis.url);
    await redis.stop();
    const r = await result;
    const line = oneLine(r);
    expect(line).toMatch(
      new RegExp(
        `^error: lost contact with Redis at redis://127\\.0\\.0\\.1:${redis.port} for more than 2 s \\(.+\\) while waiting for run \\S+: its outcome is unknown; see \`dtsync runs show \\S+\` once Redis is back$`,
      ),
    );
    expect(r.code).toBe(7);
  });
});

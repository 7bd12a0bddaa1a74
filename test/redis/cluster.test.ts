import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { Cluster } from 'ioredis';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { createLogger } from '../../src/process/logger.js';
import { workerConnection } from '../../src/redis/connections.js';
import { StateKeys } from '../../src/state/keys.js';
import { ProfileBusyError } from '../../src/errors/profile-busy-error.js';
import { ProfileLock } from '../../src/worker/profile-lock.js';
import { hashTagOf } from '../../src/config/hash-tag.js';
import type { PrivateCluster } from '../../sim/redis/cluster.js';
import { freePort } from '../../sim/free-port.js';
import { CHECK } from '../helpers/check.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { dropPrefix, keysMatching, uniquePrefix } from '../helpers/redis.js';
import {
  clusterSection,
  clusterTarget,
  REDIS_PASSWORD,
  setupEnv,
  startTestCluster,
} from '../helpers/redis-setups.js';
import { stopChildren, until, writeServiceConfig } from '../helpers/service.js';
import { startSims } from '../helpers/sims.js';
import { basic, WEB_SECTION, webEnv } from '../helpers/web.js';

let cluster: PrivateCluster | undefined;
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});
afterAll(async () => {
  await cluster?.stop();
});

const ready = async (url: string) => (await fetch(url).catch(() => undefined))?.ok === true;

it('a full sync runs on a real Redis Cluster: every role on the Cluster client, every key of the deployment in its prefix’s one slot, no password in the logs', async () => {
  const c = cluster;
  if (c === undefined) throw new Error('no cluster');
  const env = await startSims({
    dingtalk: { orgSpec: { seed: 5, users: 150, departments: 8 } },
    name: 'cluster',
  });
  cleanups.push(() => env.close());
  const port = await freePort();
  const cfg = writeServiceConfig(env, {
    web: { ...WEB_SECTION, port },
    top: { redis: clusterSection(env.prefix, c) },
    dingtalk: { qps: 100 }, // paced: the pacer's script runs on the Cluster
  });
  cleanups.push(cfg.cleanup);
  const procEnv = { ...setupEnv(webEnv(env)), LOG_LEVEL: 'info' };
  // the scheduler, a worker and the web role in one process, all on the Cluster
  const start = spawnCli(['start', '--config', cfg.path], procEnv);
  cleanups.push(() => stopChildren([start.child]));
  await until(() => ready(`http://127.0.0.1:${port}/readyz`), 'the web role ready on the Cluster');

  const sync = await runCli(['sync', 'acme', '--wait', '--config', cfg.path], procEnv);
  expect(sync.stderr).not.toMatch(/error/i);
  expect(sync.code).toBe(0);
  const domain = env.pds.control.state() as Domain;
  expect(checkDomain(structuredClone(env.dingtalk.control.org()) as Org, domain, CHECK)).toEqual([]);
  expect(domain.users).toHaveLength(150);

  const check = await runCli(['check', 'acme', '--json', '--config', cfg.path], procEnv);
  const items = (JSON.parse(check.stdout) as { items: { code: string; state: string }[] }).items;
  expect(items.find((i) => i.code === 'redis_scripts')?.state).toBe('ok');

  const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: basic() } });
  expect(await metrics.text()).toMatch(/dtsync_runs_total\{[^}]*status="succeeded"[^}]*\} 1/);

  const dashboard = await fetch(`http://127.0.0.1:${port}/admin/queues/api/queues`, {
    headers: { authorization: basic() },
  });
  const board = (await dashboard.json()) as { queues: { name: string; counts: { completed: number } }[] };
  expect(board.queues.find((q) => q.name === 'sync')?.counts.completed).toBe(1);

  // one slot: BullMQ's keys and ours, whichever master holds them
  const redis = workerConnection(clusterTarget(c));
  cleanups.push(() => redis.disconnect());
  expect(redis).toBeInstanceOf(Cluster);
  const keys = await keysMatching(redis, '*');
  expect(keys.length).toBeGreaterThan(10);
  expect(keys.filter((k) => !k.startsWith(env.prefix))).toEqual([]);
  const slots = new Set(await Promise.all(keys.map((k) => redis.call('CLUSTER', 'KEYSLOT', k))));
  expect([...slots]).toEqual([await redis.call('CLUSTER', 'KEYSLOT', `{${hashTagOf(env.prefix) ?? ''}}`)]);

  await stopChildren([start.child]);
  const { stderr } = await start.result;
  expect(stderr).toContain(`"redis":"cluster 127.0.0.1:${c.nodes[0]?.port}`);
  for (const out of [stderr, sync.stdout, sync.stderr, check.stdout, check.stderr])
    expect(out).not.toContain(REDIS_PASSWORD);
});

it('on the Cluster the pacer’s script and the profile lock work, their keys in the prefix’s slot', async () => {
  const c = cluster;
  if (c === undefined) throw new Error('no cluster');
  const redis = workerConnection(clusterTarget(c));
  cleanups.push(() => redis.disconnect());
  const prefix = uniquePrefix('slots');
  const keys = new StateKeys(prefix);
  const lockKey = keys.profileLock('acme');
  await new RedisPacer(redis, prefix).take('dingtalk:app', 1000);
  const lock = new ProfileLock(redis, createLogger({ level: 'silent', destination: process.stderr }));
  const seen = await lock.run(lockKey, 'acme', 5000, async () => {
    await expect(lock.run(lockKey, 'acme', 5000, () => Promise.resolve())).rejects.toBeInstanceOf(
      ProfileBusyError,
    );
    return keysMatching(redis, `${prefix}*`);
  });
  expect(seen).toEqual(expect.arrayContaining([lockKey, `${prefix}:pace:dingtalk:app`]));
  const slots = new Set(await Promise.all(seen.map((k) => redis.call('CLUSTER', 'KEYSLOT', k))));
  expect(slots.size).toBe(1);
  await dropPrefix(redis, prefix);
});

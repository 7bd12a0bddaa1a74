import { afterEach, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { checkRedisScripts } from '../../src/check/redis-scripts.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { producerConnection } from '../../src/redis/connections.js';
import {
  BAD_SCRIPT,
  startScriptCheckingProxy,
  type ScriptCheckingProxy,
} from '../../sim/redis/script-checking-proxy.js';
import { runCli } from '../helpers/cli.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { serviceEnv, writeServiceConfig } from '../helpers/service.js';
import { startSims } from '../helpers/sims.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function proxy(): Promise<ScriptCheckingProxy> {
  const p = await startScriptCheckingProxy(Number(new URL(testRedisUrl()).port));
  cleanups.push(() => p.close());
  return p;
}

function client(url: string) {
  const c = producerConnection(url);
  cleanups.push(() => c.disconnect());
  return c;
}

describe('dtsync check: Redis runs BullMQ’s scripts', () => {
  it('a plain Redis runs a script written as BullMQ writes them', async () => {
    expect(await checkRedisScripts(client(testRedisUrl()), uniquePrefix('scripts'))).toEqual({
      level: 'ok',
      code: 'redis_scripts',
      state: 'ok',
      params: {},
    });
  });

  it('a cluster proxy that checks scripts refuses BullMQ’s own, and the check predicts it', async () => {
    const p = await proxy();
    const prefix = uniquePrefix('proxy');
    // what the check meets
    const item = await checkRedisScripts(client(p.url), prefix);
    expect(item).toMatchObject({ level: 'fail', state: 'refused', params: { reply: BAD_SCRIPT } });
    // what the queue would meet: BullMQ's script for adding a job is refused the same way
    const queue = new Queue('probe', { connection: client(p.url), prefix });
    queue.on('error', () => undefined);
    cleanups.push(() => queue.close());
    await expect(queue.add('x', {})).rejects.toThrow(BAD_SCRIPT);
    // while a script that passes its key in KEYS, as the pacer's does, goes through
    await expect(new RedisPacer(client(p.url), prefix).take('probe', 1000)).resolves.toBeUndefined();
  });

  it('dtsync check detects a cluster proxy that refuses BullMQ’s scripts and says so (exit 1)', async () => {
    const env = await startSims({
      dingtalk: { orgSpec: { seed: 2, users: 20, departments: 3 } },
      name: 'chk',
    });
    cleanups.push(() => env.close());
    const cfg = writeServiceConfig(env);
    cleanups.push(cfg.cleanup);
    const p = await proxy();
    const r = await runCli(['check', 'acme', '--json', '--config', cfg.path], {
      ...serviceEnv(env),
      REDIS_URL: p.url,
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      items: { code: string; state: string; detail: string; fix?: string }[];
    };
    expect(out.ok).toBe(false);
    const item = out.items.find((i) => i.code === 'redis_scripts');
    expect(item?.state).toBe('refused');
    expect(item?.detail).toContain('an Alibaba Cloud Redis/Tair cluster proxy');
    expect(item?.fix).toContain('script_check_enable to 0');
    // the same check on the Redis behind it passes
    const direct = await runCli(['check', 'acme', '--json', '--config', cfg.path], serviceEnv(env));
    expect(direct.code).toBe(0);
    expect(
      (JSON.parse(direct.stdout) as typeof out).items.find((i) => i.code === 'redis_scripts')?.state,
    ).toBe('ok');
  });
});

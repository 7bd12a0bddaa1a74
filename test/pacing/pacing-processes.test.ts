import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import { ROOT } from '../helpers/cli.js';
import { dropPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

const WALKER = fileURLToPath(new URL('../fixtures/dingtalk-walker.ts', import.meta.url));
/** DingTalk's limit, enforced by the simulator over any sliding second. */
const QPS = 20;
/**
 * What the walkers are configured with: a margin below the limit, as an operator would set on a
 * loaded host. Sharing is still what is tested: three unshared walkers would send ~3 × 17 = 51.
 */
const CLIENT_QPS = 17;

let sim: DingTalkSimulator;
let redis: Redis;
const prefix = uniquePrefix('dt-walk');

beforeAll(async () => {
  sim = await startDingTalkSimulator({ orgSpec: { seed: 11, users: 600, departments: 30 }, qps: QPS });
  redis = testRedis();
});

afterAll(async () => {
  await sim.close();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

interface Walker {
  /** Resolves once the process has loaded and waits for the start. */
  readonly ready: Promise<void>;
  start(): void;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function walker(): Walker {
  const child = spawn(process.execPath, ['--import', 'tsx', WALKER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REDIS_URL: testRedisUrl(),
      SIM_URL: sim.url,
      APP_KEY: sim.appKey,
      APP_SECRET: sim.appSecret,
      PACE_PREFIX: prefix,
      QPS: String(CLIENT_QPS),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      markReady();
      resolve({ code, stdout: stdout.replace(/^ready\n/, ''), stderr });
    });
  });
  return { ready, start: () => child.stdin.end('go\n'), done };
}

describe('pacing across processes', () => {
  it('three walker processes sharing Redis keep every API at ≤ qps in any sliding second, and DingTalk throttles none', async () => {
    const walkers = [walker(), walker(), walker()];
    await Promise.all(walkers.map((w) => w.ready));
    for (const w of walkers) w.start();
    const results = await Promise.all(walkers.map((w) => w.done));
    for (const r of results) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(r.stdout)).toEqual({ users: 600, departments: 30 });
    }
    const counters = sim.control.counters();
    expect(counters.calls['/topapi/v2/department/listsub']).toBe(90);
    expect(counters.throttled).toEqual({});
    for (const [path, busiest] of Object.entries(counters.busiestSecondByPath)) {
      expect({ path, busiest: Math.min(busiest, QPS) }).toEqual({ path, busiest });
    }
  });
});

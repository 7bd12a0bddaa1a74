import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { Secret } from '../../src/config/secret.js';
import { AppStream, type LeaseEvent } from '../../src/events/app-stream.js';
import { EventKeys } from '../../src/events/keys.js';
import { producerConnection } from '../../src/redis/connections.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import type { StreamRecord } from '../../sim/dingtalk/stream/record.js';
import { ROOT } from '../helpers/cli.js';
import { dropPrefix, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { capturedLog } from '../helpers/stream-client.js';

const redis = producerConnection(testRedisUrl());
let sim: DingTalkSimulator | undefined;
let prefix = '';
const children: ChildProcess[] = [];
const streams: AppStream[] = [];

afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.stop()));
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const closed = new Promise((resolve) => c.once('close', resolve));
      c.kill('SIGTERM');
      await closed;
    }
  }
  await sim?.close();
  sim = undefined;
  await dropPrefix(redis, prefix);
});
afterAll(() => redis.quit());

async function start(): Promise<DingTalkSimulator> {
  prefix = uniquePrefix('events-lease');
  sim = await startDingTalkSimulator({
    orgSpec: { seed: 4, users: 5, departments: 2 },
    stream: { pingIntervalMs: 100, redeliverMs: 200 },
  });
  return sim;
}

const live = (r: StreamRecord) => r.connections.filter((c) => c.state === 'live').length;

/** Connections never overlapped: each opened after the one before it had closed. */
function oneAtATime(r: StreamRecord): boolean {
  const sorted = [...r.connections].sort((a, b) => a.openedAt - b.openedAt);
  return sorted.every((c, i) => i === 0 || (sorted[i - 1]?.closedAt ?? Infinity) <= c.openedAt);
}

interface Holder {
  readonly proc: ChildProcess;
  readonly lines: string[];
  until(check: (lines: string[]) => boolean): Promise<void>;
}

function spawnHolder(s: DingTalkSimulator, leaseMs: number): Holder {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/events-holder.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REDIS_URL: testRedisUrl(),
      EV_PREFIX: prefix,
      EV_SIM_URL: s.url,
      EV_APP_KEY: s.appKey,
      EV_APP_SECRET: s.appSecret,
      EV_LEASE_MS: String(leaseMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: proc.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) w();
  });
  const until = (check: (l: string[]) => boolean) =>
    new Promise<void>((resolve) => {
      const w = () => check(lines) && (waiters.delete(w), resolve());
      waiters.add(w);
      w();
    });
  return { proc, lines, until };
}

const count = (lines: string[], line: string) => lines.filter((l) => l === line).length;

function appStream(
  s: DingTalkSimulator,
  leaseMs: number,
  onLease: (e: LeaseEvent) => void,
  onGap?: (ms: number) => void,
) {
  const { log } = capturedLog();
  const stream = new AppStream({
    redis,
    keys: new EventKeys(prefix),
    leaseMs,
    onLease,
    log,
    client: {
      appKey: s.appKey,
      appSecret: Secret.of(s.appSecret),
      apiBaseUrl: s.url,
      watchdogMs: 60_000,
      log,
      onEvent: () => Promise.resolve(),
      onGap,
    },
  });
  streams.push(stream);
  return stream;
}

/** Lease events as they come, with a wait for the n-th of a kind. */
function leaseLog() {
  const events: LeaseEvent[] = [];
  const waiters = new Set<() => void>();
  const on = (e: LeaseEvent) => {
    events.push(e);
    for (const w of [...waiters]) w();
  };
  const until = (e: LeaseEvent, n = 1) =>
    new Promise<void>((resolve) => {
      const w = () => events.filter((x) => x === e).length >= n && (waiters.delete(w), resolve());
      waiters.add(w);
      w();
    });
  return { events, on, until };
}

describe('one Stream connection per DingTalk app, whatever the number of events processes', () => {
  it('two processes hold one connection at a time; the second takes over when the first is killed', async () => {
    const s = await start();
    const leaseMs = 900;
    const a = spawnHolder(s, leaseMs);
    const b = spawnHolder(s, leaseMs);
    await Promise.race([
      a.until((l) => l.includes('lease acquired')),
      b.until((l) => l.includes('lease acquired')),
    ]);
    const [holder, other] = a.lines.includes('lease acquired') ? [a, b] : [b, a];
    // refused at every try for over a lease's lifetime while the holder renews
    await other.until((l) => count(l, 'lease busy') >= 5);
    const event = s.control.stream.emit('user_add_org', { userId: ['u1'] });
    await holder.until((l) => l.includes(`event ${event.eventId}`));
    expect((await s.control.stream.until((r) => r.stats.acked === 1)).stats.upgrades).toBe(1);

    const killedAt = Date.now();
    holder.proc.kill('SIGKILL');
    const next = s.control.stream.emit('user_leave_org', { userId: ['u2'] });
    await other.until((l) => l.includes(`event ${next.eventId}`));
    // the lease lapses within its TTL and is retried every third of it
    expect(Date.now() - killedAt).toBeLessThan((leaseMs * 4) / 3 + 1500);
    const record = await s.control.stream.until((r) => live(r) === 1 && r.stats.upgrades === 2);
    expect(oneAtATime(record)).toBe(true);
    expect(other.lines.filter((l) => l.startsWith('event '))).toEqual([`event ${next.eventId}`]);
  });

  it('a holder whose lease is taken closes its connection at once, and stays off while the other holds it', async () => {
    const s = await start();
    const lease = leaseLog();
    appStream(s, 600, lease.on).start();
    await lease.until('acquired');
    await s.control.stream.until((r) => live(r) === 1);
    // as after a Redis restart: another process now holds the key
    await redis.set(new EventKeys(prefix).lease(s.appKey), 'another-process', 'PX', 60_000);
    await lease.until('lost');
    const closed = await s.control.stream.until((r) => live(r) === 0);
    expect(closed.connections[0]?.state).toBe('closed');
    await lease.until('busy', 2);
    expect(s.control.stream.record().stats.upgrades).toBe(1);
  });

  it('a clean stop gives the lease up at once; the successor reports the gap since the last open connection', async () => {
    const s = await start();
    const first = leaseLog();
    const second = leaseLog();
    let gap: (ms: number) => void = () => undefined;
    const reported = new Promise<number>((resolve) => (gap = resolve));
    const a = appStream(s, 900, first.on);
    a.start();
    await s.control.stream.until((r) => live(r) === 1);
    appStream(s, 900, second.on, gap).start();
    await second.until('busy');
    const stoppedAt = Date.now();
    await a.stop();
    expect(first.events.at(-1)).toBe('released');
    expect(await redis.exists(new EventKeys(prefix).lease(s.appKey))).toBe(0);
    await second.until('acquired');
    const ms = await reported;
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThanOrEqual(Date.now() - stoppedAt);
    expect(oneAtATime(await s.control.stream.until((r) => r.stats.upgrades === 2))).toBe(true);
  });
});

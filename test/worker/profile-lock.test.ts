import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/process/logger.js';
import { ProfileBusyError } from '../../src/errors/profile-busy-error.js';
import { ProfileLock } from '../../src/worker/profile-lock.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

const redis = testRedis();
const prefix = uniquePrefix('lock');
let n = 0;
const freshKey = () => `${prefix}:lock:acme-${++n}`;

afterAll(async () => {
  await dropPrefix(redis, prefix);
  await redis.quit();
});

/** A lock whose warnings are collected as parsed log lines. */
function lockWithLog() {
  const lines: { level: number; msg: string; reason?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { lock: new ProfileLock(redis, createLogger({ level: 'warn', destination: sink })), lines };
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

describe('profile lock', () => {
  it("a failed lock release after the routine finished returns the routine's result and logs a warning", async () => {
    const { lock, lines } = lockWithLog();
    const key = freshKey();
    let runs = 0;
    const result = await lock.run(key, 'acme', 10_000, async () => {
      runs++;
      await redis.del(key); // as after a Redis restarted empty: the release finds no lock
      return 'done';
    });
    expect(result).toBe('done');
    expect(runs).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: "the profile lock could not be released after the run (it lapsed, or Redis lost it): the run's outcome stands",
      }),
    ]);
  });

  it("a routine's own error is kept when the release fails too, never taken for busy", async () => {
    const { lock, lines } = lockWithLog();
    const key = freshKey();
    const run = lock.run(key, 'acme', 10_000, async () => {
      await redis.del(key);
      throw new Error('the run failed');
    });
    await expect(run).rejects.toThrow('the run failed');
    expect(lines).toHaveLength(1);
  });

  it('only a failure to acquire means busy: the routine never runs', async () => {
    const { lock } = lockWithLog();
    const key = freshKey();
    await redis.set(key, 'another-holder', 'PX', 10_000);
    let runs = 0;
    const run = lock.run(key, 'acme', 10_000, () => {
      runs++;
      return Promise.resolve('done');
    });
    await expect(run).rejects.toBeInstanceOf(ProfileBusyError);
    expect(runs).toBe(0);
  });

  it("a lock taken by another holder mid-run aborts the routine's signal", async () => {
    const { lock } = lockWithLog();
    const key = freshKey();
    const result = await lock.run(key, 'acme', 2000, async (lost) => {
      await redis.set(key, 'another-holder', 'PX', 10_000);
      await aborted(lost); // the extension, due 1 s before the TTL ends, finds the lock gone
      return 'stopped';
    });
    expect(result).toBe('stopped');
    expect(await redis.get(key)).toBe('another-holder'); // the other holder's lock is left alone
  });
});

import { Writable } from 'node:stream';
import { Secret } from '../../src/config/secret.js';
import type { StreamClock } from '../../src/events/clock.js';
import { StreamClient, type StreamClientOptions } from '../../src/events/stream-client.js';
import { createLogger } from '../../src/process/logger.js';
import type { DingTalkSimulator } from '../../sim/dingtalk/server.js';

/** Every log line a client wrote, as raw JSON text (to search for secrets) and parsed. */
export interface CapturedLog {
  readonly lines: string[];
  readonly log: ReturnType<typeof createLogger>;
}

export function capturedLog(): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'trace', destination: sink }) };
}

/** A Stream client pointed at the simulator, its logs captured. */
export function simClient(
  sim: DingTalkSimulator,
  opts: Partial<Omit<StreamClientOptions, 'onEvent'>> & Pick<StreamClientOptions, 'onEvent'>,
): { client: StreamClient; logs: CapturedLog } {
  const logs = capturedLog();
  const client = new StreamClient({
    appKey: sim.appKey,
    appSecret: Secret.of(sim.appSecret),
    apiBaseUrl: sim.url,
    watchdogMs: 60_000,
    log: logs.log,
    ...opts,
  });
  return { client, logs };
}

/**
 * Fake time for the pauses between attempts: each sleep is recorded and moves `now` on at
 * once, until `holdAt` sleeps were taken; that one waits for `release()` (or the stop).
 */
export function fakeClock(holdAt: number): {
  clock: StreamClock;
  sleeps: number[];
  held: Promise<void>;
  release: () => void;
} {
  let now = 1_700_000_000_000;
  const sleeps: number[] = [];
  let onHeld: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  let releases: (() => void)[] = [];
  const clock: StreamClock = {
    now: () => now,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      now += ms;
      if (sleeps.length < holdAt) return new Promise((resolve) => setImmediate(resolve));
      onHeld();
      await new Promise<void>((resolve) => {
        releases.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  };
  const release = () => {
    for (const r of releases) r();
    releases = [];
    holdAt = Number.POSITIVE_INFINITY;
  };
  return { clock, sleeps, held, release };
}

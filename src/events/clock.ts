import { pause } from '../errors/abort.js';

/**
 * The time the Stream client reads and waits on: the real one, or a fake in tests that checks
 * the reconnect schedule without waiting it out. Only the pauses between attempts and the gap
 * measure go through it; the socket's own timers (watchdog, ACK deadline) are real.
 */
export interface StreamClock {
  /** Epoch ms. */
  now(): number;
  /** Waits `ms`; an abort ends the wait at once (resolving, not rejecting). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: StreamClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => pause(ms, signal).catch(() => undefined),
};

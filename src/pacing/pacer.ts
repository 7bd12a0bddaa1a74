import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { BlockBooking } from './block-booking.js';
import { defineReserve, pacedQps } from './gcra.js';

/**
 * A call that goes out this much after its booked instant (its process stalled: GC, a busy CPU,
 * a reply read late) books a new instant instead: late calls bunch with the ones booked after
 * them, and the remote counts arrivals. Calls late by L ms add at most 0.94 × qps × L / 1000
 * calls to a second, within the 6 % margin for any qps while L < 64 ms; 40 leaves the rest for
 * network jitter and the remote's late reading. Lateness counts from the booking request, so a
 * reply our own busy loop read late is late. A tighter bound wasted instants: 25 ms cost ~15 %
 * of DingTalk's rate on the 2-core benchmark's no-op run (busiest second 165 of 200), 40 ms none
 * (196 of 200).
 */
export const MAX_LATENESS_MS = 40;
const MAX_REBOOKS = 3;

export interface Pacer {
  /** Waits until this call may go out. Rejects with the signal's reason if aborted. */
  take(key: string, qps: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Paces calls across every process sharing Redis (the GCRA of gcra.ts), booking this process's
 * waiting calls in blocks (block-booking.ts), and booking again for a call that went out late.
 */
export class RedisPacer implements Pacer {
  readonly #booking: BlockBooking;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    this.#booking = new BlockBooking(defineReserve(redis));
  }

  async take(key: string, qps: number, signal?: AbortSignal): Promise<void> {
    const intervalMicros = Math.ceil(1_000_000 / pacedQps(qps));
    for (let rebooks = 0; ; rebooks++) {
      signal?.throwIfAborted();
      const booking = await this.#booking.book(`${this.prefix}:pace:${key}`, intervalMicros, signal);
      const wait = booking.at - performance.now();
      if (wait > 0) await sleep(wait, signal);
      const late = performance.now() - booking.lateFrom;
      if (late <= MAX_LATENESS_MS || rebooks >= MAX_REBOOKS) return;
    }
  }
}

/** No pacing: for one-off checks where the remote limit cannot be reached. */
export const unpaced: Pacer = {
  take: (_key, _qps, signal) => {
    signal?.throwIfAborted();
    return Promise.resolve();
  },
};

/**
 * Waits `ms`; an abort rejects with the signal's own reason (what callers classify: the job's
 * cancel, a lost lock), not Node's generic AbortError.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    if (signal?.aborted === true) throw signal.reason;
    throw err;
  }
}

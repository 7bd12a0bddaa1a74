import { performance } from 'node:perf_hooks';
import type { RedisClient } from '../redis/client.js';
import { pause } from '../errors/abort.js';
import { BlockBooking } from './block-booking.js';
import { defineReserve, pacedQps } from './gcra.js';

/**
 * A call that goes out this much after its booked instant (a GC pause, a busy CPU, a reply read
 * late) books a new instant instead: late calls bunch with the ones booked after them, and the
 * remote counts arrivals. Lateness L adds at most 0.94 × qps × L / 1000 calls to a second, within
 * the 6 % headroom while L < 64 ms. Trades lost instants (a tighter bound rebooks more calls and
 * lowers the rate reached) for bunching (a looser one lets more into one second). Safe from about
 * 30 to 60 ms; outside that, check the benchmark's busiest second.
 */
export const MAX_LATENESS_MS = 40;
/** Rebooks of one call before it goes out anyway, so a stalled process still moves. Safe to change. */
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
    redis: RedisClient,
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
      if (wait > 0) await pause(wait, signal);
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

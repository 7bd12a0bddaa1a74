import { performance } from 'node:perf_hooks';
import type { ReserveFn } from './gcra.js';

/**
 * Most instants booked for one process's waiting calls per Redis round trip. Trades round trips
 * (Redis's and the worker's CPU) for how long one process holds a run of consecutive instants
 * while others wait for theirs; the spacing holds either way. Safe to change.
 */
const MAX_BATCH = 64;

/**
 * While this process holds booked instants more than this far ahead, new waiters gather and are
 * booked as one block when the last booked instant comes this close; without it a steady stream
 * (each finished call starting the next, as in a sync) books one call per round trip. Trades
 * round trips for lost instants: it must cover a Redis round trip and a busy event loop's timer
 * lateness, or instants pass unused between blocks. Change it only with the benchmark.
 */
const LOOKAHEAD_MS = 25;

/** When a booked instant is, in `performance.now()` time. */
export interface Booking {
  /** Not before: the instant measured from the reply, never early. */
  readonly at: number;
  /** Lateness is measured from here (the request's send), so a stalled reply counts as late. */
  readonly lateFrom: number;
}

interface Waiter {
  readonly intervalMicros: number;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (b: Booking) => void;
  readonly reject: (err: unknown) => void;
}

interface KeyQueue {
  waiters: Waiter[];
  /** A reservation is in flight. */
  busy: boolean;
  /** This process's last booked instant on the key (`performance.now()` time). */
  bookedUntil: number;
  /** Set while waiters gather for the next block. */
  timer: NodeJS.Timeout | undefined;
}

/**
 * Books instants for this process's calls, per key: the calls waiting together are booked in one
 * block (one Redis round trip), and the next block only when the last booked instant comes near.
 */
export class BlockBooking {
  readonly #queues = new Map<string, KeyQueue>();

  constructor(private readonly reserve: ReserveFn) {}

  /** The booked instant of one call on `key`; rejects with the signal's reason if aborted. */
  book(key: string, intervalMicros: number, signal: AbortSignal | undefined): Promise<Booking> {
    return new Promise((resolve, reject) => {
      let q = this.#queues.get(key);
      if (q === undefined) {
        q = { waiters: [], busy: false, bookedUntil: 0, timer: undefined };
        this.#queues.set(key, q);
      }
      const queue = q;
      // A waiter may gather for a while before its block is booked: an abort ends it at once.
      const onAbort = () => {
        queue.waiters = queue.waiters.filter((w) => w !== waiter);
        if (queue.waiters.length === 0 && queue.timer !== undefined) {
          clearTimeout(queue.timer);
          queue.timer = undefined;
        }
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        intervalMicros,
        signal,
        resolve: (b) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(b);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      q.waiters.push(waiter);
      if (!q.busy && q.timer === undefined) this.#reserveFor(key, q);
    });
  }

  /** Books the waiting calls' instants, one round trip at a time per key. */
  #reserveFor(key: string, q: KeyQueue): void {
    const first = q.waiters[0];
    const lead = q.bookedUntil - performance.now();
    if (first === undefined) {
      if (lead <= 0) this.#queues.delete(key);
      return;
    }
    if (lead > LOOKAHEAD_MS) {
      q.timer = setTimeout(() => {
        q.timer = undefined;
        this.#reserveFor(key, q);
      }, lead - LOOKAHEAD_MS);
      return;
    }
    // one interval per block (a config reload may change it): the leading calls that share it
    let n = 1;
    while (n < MAX_BATCH && q.waiters[n]?.intervalMicros === first.intervalMicros) n++;
    const batch = q.waiters.splice(0, n);
    const interval = first.intervalMicros;
    q.busy = true;
    const sent = performance.now();
    void this.reserve(key, String(interval), String(n))
      .then(
        (startMicros) => {
          const replied = performance.now();
          const at = (i: number) => (Math.max(0, startMicros) + i * interval) / 1000;
          q.bookedUntil = Math.max(q.bookedUntil, replied + at(n - 1));
          batch.forEach((w, i) => w.resolve({ at: replied + at(i), lateFrom: sent + at(i) }));
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      )
      .finally(() => {
        q.busy = false;
        this.#reserveFor(key, q);
      });
  }
}

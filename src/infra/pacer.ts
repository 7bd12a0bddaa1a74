import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

/**
 * Spaces calls evenly across every process sharing Redis: a GCRA ("virtual scheduling")
 * reservation. Each call atomically books the next free instant, `interval` after the last
 * booking, and sleeps until it, so no window of one second ever holds more than `qps` calls,
 * however many processes share the key, and waiters do not poll or stampede.
 *
 * Why not rate-limiter-flexible: its Redis limiter counts fixed windows (`SET … EX <seconds>`),
 * which lets 2×qps land in one real second across a window edge, and its `execEvenly` spreads
 * calls per process only. The remote services count a sliding second, so we book instants.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = tat
if now > start then start = now end
local nextTat = start + interval * n
redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.floor((nextTat - now) / 1000) + 1000)
return start - now
`;

/**
 * Share of the configured qps actually booked. The margin absorbs the bunching between the
 * booked instant and the request reaching the remote counter: calls a busy event loop sends late
 * (up to `MAX_LATENESS_MS`) and the remote's own late reading. Measured on the 2-core benchmark
 * (100,000 users, DingTalk at 200 QPS, the worker's one thread saturated in the no-op and churn
 * runs): at 95 % the simulator's busiest second reached 202 of 200 in some runs; at 94 % a
 * packet capture counted at most 197 on the wire, though the simulator, reading late on the
 * shared cores, still counted 201–207 in some runs (docs/performance.md). 94 % gives each second
 * two more calls of room at 200 QPS, for ~1 % of every run's time. Below 34 QPS `pacedQps`
 * leaves more (two calls a second).
 */
export const PACING_HEADROOM = 0.94;

/**
 * Calls a second actually booked for a limit of `qps`: 94 %, but at least two calls a second
 * below the limit (never under half of it). A percentage alone leaves a low limit too little
 * room: at DingTalk's real 20 QPS, 94 % books an instant every 53 ms, and one call read 64 ms
 * late (a late call and a late-reading remote together) puts a 21st call into a second; the
 * three-profile benchmark counted 21 once. At 18 a second a 21st needs 111 ms. It costs 4 % of
 * the walk's time at 20 QPS, where the sync is idle, and a throttled DingTalk call costs more:
 * DingTalk bans the API for a whole second. Limits of 34 QPS and up keep 94 %.
 */
export function pacedQps(qps: number): number {
  return Math.max(qps / 2, Math.min(qps * PACING_HEADROOM, qps - 2));
}

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

/**
 * Calls of one process waiting on one key are booked together, up to this many consecutive
 * instants per Redis round trip, instead of a round trip per call (at 1,000 QPS that cut Redis's
 * CPU by a fifth). Other processes book their own blocks in between; the spacing holds.
 */
const MAX_BATCH = 64;

/**
 * While this process still holds booked instants more than this far ahead, new waiters are not
 * booked yet: they gather and are booked in one block when the last booked instant comes this
 * close. A steady stream (each finished call starting the next, as a sync does) otherwise booked
 * one call per round trip. With blocks (and the link journal's done marks batched), the 100,000-
 * user benchmark's initial run took 213 worker CPU seconds instead of 367, Redis 1.4 instead of
 * 20, and 341 s instead of 367. The lead must cover a Redis round trip and a busy event loop's
 * timer lateness, or instants are lost between blocks.
 */
const LOOKAHEAD_MS = 25;

export interface Pacer {
  /** Waits until this call may go out. Rejects with the signal's reason if aborted. */
  take(key: string, qps: number, signal?: AbortSignal): Promise<void>;
}

type ReserveFn = (key: string, intervalMicros: string, count: string) => Promise<number>;

/** When a booked instant is, in `performance.now()` time. */
interface Booking {
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

export class RedisPacer implements Pacer {
  readonly #reserve: ReserveFn;
  readonly #queues = new Map<string, KeyQueue>();

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('dtsyncPaceReserve', { numberOfKeys: 1, lua: RESERVE });
    const cmd = (redis as unknown as Record<string, ReserveFn>).dtsyncPaceReserve;
    if (cmd === undefined) throw new Error('could not define the pacing script');
    this.#reserve = cmd.bind(redis);
  }

  async take(key: string, qps: number, signal?: AbortSignal): Promise<void> {
    const intervalMicros = Math.ceil(1_000_000 / pacedQps(qps));
    for (let rebooks = 0; ; rebooks++) {
      signal?.throwIfAborted();
      const booking = await this.#book(`${this.prefix}:pace:${key}`, intervalMicros, signal);
      const wait = booking.at - performance.now();
      if (wait > 0) await sleep(wait, signal);
      const late = performance.now() - booking.lateFrom;
      if (late <= MAX_LATENESS_MS || rebooks >= MAX_REBOOKS) return;
    }
  }

  #book(key: string, intervalMicros: number, signal: AbortSignal | undefined): Promise<Booking> {
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
    void this.#reserve(key, String(interval), String(n))
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

/** No pacing: for one-off checks where the remote limit cannot be reached. */
export const unpaced: Pacer = {
  take: (_key, _qps, signal) => {
    signal?.throwIfAborted();
    return Promise.resolve();
  },
};

/** setTimeout as a promise that an AbortSignal cancels. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

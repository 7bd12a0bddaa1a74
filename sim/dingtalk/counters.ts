/** Instants (ms) of the last second, oldest first; O(1) amortised per event. */
export class SlidingSecond {
  #times: number[] = [];
  #head = 0;

  /** Events in the second ending at `now` (exclusive of events ≥ 1000 ms old). */
  count(now: number): number {
    while (this.#head < this.#times.length && now - (this.#times[this.#head] ?? now) >= 1000) this.#head++;
    if (this.#head > 1024) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return this.#times.length - this.#head;
  }

  push(now: number): void {
    this.#times.push(now);
  }
}

export interface SimCounters {
  /** Every request received per path (query excluded), throttled ones included. */
  readonly calls: Record<string, number>;
  /** Requests answered with a QPS-limit error, per path. */
  readonly throttled: Record<string, number>;
  /** The most requests received in any sliding one-second window, per path. */
  readonly busiestSecond: Record<string, number>;
}

/** What the simulator saw, per API path: `GET /_sim/counters`. */
export class Counters {
  #calls = new Map<string, number>();
  #throttled = new Map<string, number>();
  #busiest = new Map<string, number>();
  #windows = new Map<string, SlidingSecond>();

  received(path: string, now: number): void {
    this.#calls.set(path, (this.#calls.get(path) ?? 0) + 1);
    let w = this.#windows.get(path);
    if (w === undefined) {
      w = new SlidingSecond();
      this.#windows.set(path, w);
    }
    w.push(now);
    const n = w.count(now);
    if (n > (this.#busiest.get(path) ?? 0)) this.#busiest.set(path, n);
  }

  throttled(path: string): void {
    this.#throttled.set(path, (this.#throttled.get(path) ?? 0) + 1);
  }

  snapshot(): SimCounters {
    const obj = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    return { calls: obj(this.#calls), throttled: obj(this.#throttled), busiestSecond: obj(this.#busiest) };
  }

  reset(): void {
    this.#calls = new Map();
    this.#throttled = new Map();
    this.#busiest = new Map();
    this.#windows = new Map();
  }
}

/**
 * DingTalk's per-app, per-API QPS limit over any sliding second. Only admitted calls fill the
 * window (unconfirmed whether DingTalk also counts the calls it refused; this is the lenient
 * reading, which still refuses every call over the limit).
 */
export class QpsLimiter {
  readonly #windows = new Map<string, SlidingSecond>();

  /** True (and counted) when the call fits under `limit`; false when it must be throttled. */
  admit(path: string, limit: number, now: number): boolean {
    let w = this.#windows.get(path);
    if (w === undefined) {
      w = new SlidingSecond();
      this.#windows.set(path, w);
    }
    if (w.count(now) >= limit) return false;
    w.push(now);
    return true;
  }
}

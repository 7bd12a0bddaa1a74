/**
 * What both simulators count, in one shape (`GET /_sim/counters`), over one sliding window. Both
 * remotes limit calls per sliding second, so both simulators count and refuse over the same one.
 */

const WINDOW_MS = 1000;

/**
 * Event times of the last second, oldest first: push and count are amortised O(1), so counting
 * stays cheap at the benchmark's 1,000 QPS. A window holds the events in (t - 1 s, t].
 */
export class SlidingWindow {
  #times: number[] = [];
  #head = 0;
  #max = 0;

  /** Events in the window ending at `t`. */
  countAt(t: number): number {
    while (this.#head < this.#times.length && (this.#times[this.#head] ?? t) <= t - WINDOW_MS) this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
    return this.#times.length - this.#head;
  }

  push(t: number): void {
    this.#max = Math.max(this.#max, this.countAt(t) + 1);
    this.#times.push(t);
  }

  /** Most events seen in any window so far. */
  get max(): number {
    return this.#max;
  }
}

/**
 * A per-key QPS limit over any sliding second (DingTalk's per-app, per-API one; PDS's per domain).
 * Only admitted calls fill the window: whether the remotes also count the calls they refused is
 * unconfirmed, and this lenient reading still refuses every call over the limit.
 */
export class QpsLimiter {
  readonly #windows = new Map<string, SlidingWindow>();

  /** True (and counted) when the call fits under `limit`; false when it must be throttled. */
  admit(key: string, limit: number, t: number): boolean {
    let w = this.#windows.get(key);
    if (w === undefined) this.#windows.set(key, (w = new SlidingWindow()));
    if (w.countAt(t) >= limit) return false;
    w.push(t);
    return true;
  }

  reset(): void {
    this.#windows.clear();
  }
}

/** `GET /_sim/counters`, per API path (query excluded); control paths are never counted. */
export interface SimCounters {
  /** Every request received, throttled ones and token calls included. */
  readonly calls: Record<string, number>;
  /** Requests that change something (token calls excluded; none on DingTalk, which the sync only reads). */
  readonly writes: Record<string, number>;
  /** Requests refused for the QPS limit. */
  readonly throttled: Record<string, number>;
  /** Answers by HTTP status (a reset connection has none). */
  readonly byStatus: Record<string, Record<string, number>>;
  /** The most requests received in any sliding second, all paths together. */
  readonly busiestSecond: number;
  readonly busiestSecondByPath: Record<string, number>;
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

/**
 * What a simulator saw, for the tests and the benchmark. PDS throttles with an HTTP status (429,
 * whoever answers it: its limit or an injected fault), so an answer with `throttledStatus` counts
 * as throttled; DingTalk throttles with an errcode, counted with `throttled()` where it refuses.
 */
export class Counters {
  constructor(private readonly o: { readonly throttledStatus?: number } = {}) {}

  #calls = new Map<string, number>();
  #writes = new Map<string, number>();
  #throttled = new Map<string, number>();
  #byStatus = new Map<string, Map<string, number>>();
  #all = new SlidingWindow();
  #perPath = new Map<string, SlidingWindow>();

  /** A request on an API path, counted on arrival, before anything can reject it. */
  received(path: string, t: number, o: { readonly write?: boolean } = {}): void {
    bump(this.#calls, path);
    if (o.write === true) bump(this.#writes, path);
    this.#all.push(t);
    let w = this.#perPath.get(path);
    if (w === undefined) this.#perPath.set(path, (w = new SlidingWindow()));
    w.push(t);
  }

  throttled(path: string): void {
    bump(this.#throttled, path);
  }

  answered(path: string, status: number): void {
    if (status === this.o.throttledStatus) this.throttled(path);
    let m = this.#byStatus.get(path);
    if (m === undefined) this.#byStatus.set(path, (m = new Map<string, number>()));
    bump(m, String(status));
  }

  snapshot(): SimCounters {
    return {
      calls: sorted(this.#calls),
      writes: sorted(this.#writes),
      throttled: sorted(this.#throttled),
      byStatus: Object.fromEntries([...this.#byStatus].map(([p, m]) => [p, sorted(m)])),
      busiestSecond: this.#all.max,
      busiestSecondByPath: Object.fromEntries([...this.#perPath].map(([p, w]) => [p, w.max])),
    };
  }

  reset(): void {
    this.#calls = new Map();
    this.#writes = new Map();
    this.#throttled = new Map();
    this.#byStatus = new Map();
    this.#all = new SlidingWindow();
    this.#perPath = new Map();
  }
}

import type { PdsSimCounters } from './types.js';

const WINDOW_MS = 1000;

/**
 * Event times of the last second, oldest first: push is amortised O(1), so counting stays cheap
 * at the benchmark's 1,000 QPS. A window holds the events in (t - 1 s, t].
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
    this.countAt(t);
    this.#times.push(t);
    this.#max = Math.max(this.#max, this.#times.length - this.#head);
  }

  /** Most events seen in any window so far. */
  get max(): number {
    return this.#max;
  }
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

/** Everything the tests and the benchmark read back through `GET /_sim/counters`. */
export class Counters {
  #calls = new Map<string, number>();
  #writes = new Map<string, number>();
  #throttled = new Map<string, number>();
  #byStatus = new Map<string, Map<string, number>>();
  #all = new SlidingWindow();
  #perPath = new Map<string, SlidingWindow>();

  /** Every request received on an API path, before anything can reject it. */
  received(path: string, write: boolean, t: number): void {
    bump(this.#calls, path);
    if (write) bump(this.#writes, path);
    this.#all.push(t);
    let w = this.#perPath.get(path);
    if (w === undefined) this.#perPath.set(path, (w = new SlidingWindow()));
    w.push(t);
  }

  answered(path: string, status: number): void {
    let m = this.#byStatus.get(path);
    if (m === undefined) this.#byStatus.set(path, (m = new Map<string, number>()));
    bump(m, String(status));
    if (status === 429) bump(this.#throttled, path);
  }

  reset(): void {
    this.#calls = new Map();
    this.#writes = new Map();
    this.#throttled = new Map();
    this.#byStatus = new Map();
    this.#all = new SlidingWindow();
    this.#perPath = new Map();
  }

  snapshot(): PdsSimCounters {
    const obj = (m: Map<string, number>) => Object.fromEntries(m);
    return {
      calls: obj(this.#calls),
      writes: obj(this.#writes),
      throttled: obj(this.#throttled),
      byStatus: Object.fromEntries([...this.#byStatus].map(([p, m]) => [p, obj(m)])),
      busiestSecond: this.#all.max,
      busiestSecondByPath: Object.fromEntries([...this.#perPath].map(([p, w]) => [p, w.max])),
    };
  }
}

import type { RedisClient } from '../redis/client.js';
import type { Logger } from '../process/logger.js';
import type { StateKeys } from '../state/keys.js';
import type { MonthlyCallMeter } from '../dingtalk/types.js';
import { monthBounds, quotaMonth } from './month.js';

/** The version of the monthly hash's layout (its `schemaVersion` field). */
export const MONTHLY_CALLS_VERSION = 1;

/** How long a month's hash outlives its month: long enough to compare with the month before. */
const KEEP_AFTER_MONTH_S = 62 * 24 * 3600;

export interface MonthlyCallCounterOptions {
  /** The clock that decides which month a call counts in. @defaultValue () => new Date() */
  readonly now?: () => Date;
  /** Calls buffered before a flush. @defaultValue 500 */
  readonly flushEveryCalls?: number;
  /** Milliseconds between flushes while calls are buffered. @defaultValue 30000 */
  readonly flushEveryMs?: number;
  readonly log?: Logger;
}

/**
 * The calls this process sends to DingTalk, per organisation, quota month and API path, added to
 * Redis in batches (one MULTI per flush: an HINCRBY per path touched, the version and the
 * expiry), so a run adds a handful of commands, never one per call. Each call is counted in the
 * month of the moment it was sent. Every profile and role of the deployment adds to the same
 * hash of an organisation's month. A failed flush keeps its counts for the next one.
 */
export class MonthlyCallCounter {
  /** Buffered counts by hash key: the key's month, and field → calls. */
  readonly #pending = new Map<string, { month: string; fields: Map<string, number> }>();
  #buffered = 0;
  #flushing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;
  readonly #now: () => Date;
  readonly #flushEveryCalls: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    private readonly opts: MonthlyCallCounterOptions = {},
  ) {
    this.#now = opts.now ?? (() => new Date());
    this.#flushEveryCalls = opts.flushEveryCalls ?? 500;
    this.#timer = setInterval(() => {
      if (this.#buffered > 0) void this.flush();
    }, opts.flushEveryMs ?? 30_000).unref();
  }

  /** The meter of one organisation's calls (`organisationOf`). */
  forOrg(org: string): MonthlyCallMeter {
    return {
      count: (path) => this.#add(org, `call:${path}`),
      refused: (path) => this.#add(org, `refused:${path}`),
    };
  }

  #add(org: string, field: string): void {
    const month = quotaMonth(this.#now());
    this.#bump(this.keys.dingtalkCalls(org, month), month, field, 1);
    if (++this.#buffered >= this.#flushEveryCalls) void this.flush();
  }

  #bump(key: string, month: string, field: string, n: number): void {
    const entry = this.#pending.get(key) ?? { month, fields: new Map<string, number>() };
    entry.fields.set(field, (entry.fields.get(field) ?? 0) + n);
    this.#pending.set(key, entry);
  }

  /** Writes what is buffered; one flush at a time. Never rejects (a failure is logged and kept). */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending];
    this.#pending.clear();
    this.#buffered = 0;
    const m = this.redis.multi();
    for (const [key, { month, fields }] of batch) {
      for (const [field, n] of fields) m.hincrby(key, field, n);
      m.hset(key, 'schemaVersion', MONTHLY_CALLS_VERSION);
      m.expireat(key, Math.floor(monthBounds(month).end.getTime() / 1000) + KEEP_AFTER_MONTH_S);
    }
    try {
      const results = (await m.exec()) ?? [];
      const failed = results.find(([err]) => err !== null);
      if (failed?.[0] != null) throw failed[0];
    } catch (err) {
      for (const [key, { month, fields }] of batch) {
        for (const [field, n] of fields) {
          this.#bump(key, month, field, n);
          this.#buffered += n;
        }
      }
      this.opts.log?.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'monthly DingTalk call count not written: kept for the next flush',
      );
    }
  }

  /** Stops the timer and writes what is left (a role's shutdown, before Redis closes). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}

import type { RedisClient } from '../redis/client.js';
import type { Logger } from '../process/logger.js';
import { AppLease, LEASE_MS } from './app-lease.js';
import { realClock, type StreamClock } from './clock.js';
import type { EventKeys } from './keys.js';
import { StreamClient, type StreamClientOptions, type StreamStatus } from './stream-client.js';

/** How long the last-open instant is kept: longer than any gap worth a full sync. */
const LAST_OPEN_KEEP_MS = 30 * 86_400_000;

/** What happened to this process's claim on the app. */
export type LeaseEvent = 'acquired' | 'busy' | 'lost' | 'released';

export interface AppStreamOptions {
  /** A connection that fails fast (`producerConnection`): a lease must not wait in a queue. */
  readonly redis: RedisClient;
  readonly keys: EventKeys;
  /** The client's settings; `lostAt` comes from Redis (the previous holder's last open instant). */
  readonly client: Omit<StreamClientOptions, 'lostAt' | 'clock'>;
  /** @defaultValue 15000 (LEASE_MS) */
  readonly leaseMs?: number | undefined;
  readonly onLease?: ((event: LeaseEvent) => void) | undefined;
  /** @defaultValue the real clock */
  readonly clock?: StreamClock | undefined;
  readonly log: Logger;
}

/**
 * One DingTalk app's Stream connection across every events process: whoever holds the app's
 * lease runs the StreamClient; the others retry the lease every third of its TTL, so one of
 * them takes over within 1⅓ TTL of the holder's death. A holder renews every third of the
 * TTL and, the moment a renewal fails, closes its connection (another process may hold the
 * lease by then). While open, it notes the instant in Redis, so a successor reports the gap
 * since the last connection anyone had.
 */
export class AppStream {
  readonly #opts: AppStreamOptions;
  readonly #lease: AppLease;
  readonly #ttl: number;
  readonly #clock: StreamClock;
  readonly #stop = new AbortController();
  #client: StreamClient | undefined;
  #running: Promise<void> | undefined;

  constructor(opts: AppStreamOptions) {
    this.#opts = opts;
    this.#ttl = Math.round(opts.leaseMs ?? LEASE_MS);
    this.#clock = opts.clock ?? realClock;
    this.#lease = new AppLease(opts.redis, opts.keys.lease(opts.client.appKey), this.#ttl);
  }

  get holding(): boolean {
    return this.#client !== undefined;
  }

  /** The connection's status while this process holds the app; undefined otherwise. */
  status(): StreamStatus | undefined {
    return this.#client?.status();
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Closes the connection and gives the lease up, so another process takes over at once. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      if (await this.#lease.acquire()) await this.#hold(stop);
      else this.#opts.onLease?.('busy');
      if (!stop.aborted) await this.#clock.sleep(this.#ttl / 3, stop);
    }
  }

  async #hold(stop: AbortSignal): Promise<void> {
    const { appKey } = this.#opts.client;
    this.#opts.onLease?.('acquired');
    this.#opts.log.info({ appKey }, 'holding the Stream connection of this DingTalk app');
    const client = new StreamClient({
      ...this.#opts.client,
      lostAt: await this.#lastOpen(),
      clock: this.#clock,
    });
    this.#client = client;
    client.start();
    let lost = false;
    while (!stop.aborted) {
      await this.#clock.sleep(this.#ttl / 3, stop);
      if (stop.aborted) break;
      if (!(await this.#lease.renew())) {
        lost = true;
        break;
      }
      if (client.status().state === 'open') await this.#noteOpen();
    }
    if (lost)
      this.#opts.log.warn({ appKey }, 'lost the lease of this DingTalk app: closing its Stream connection');
    const openAtStop = client.status().state === 'open';
    await client.stop();
    this.#client = undefined;
    if (lost) {
      this.#opts.onLease?.('lost');
      return;
    }
    if (openAtStop) await this.#noteOpen();
    await this.#lease.release();
    this.#opts.onLease?.('released');
  }

  /** Notes "a connection of this app was open until now". */
  async #noteOpen(): Promise<void> {
    const key = this.#opts.keys.lastOpen(this.#opts.client.appKey);
    await this.#opts.redis
      .set(key, String(this.#clock.now()), 'PX', LAST_OPEN_KEEP_MS)
      .catch(() => undefined);
  }

  async #lastOpen(): Promise<number | undefined> {
    const key = this.#opts.keys.lastOpen(this.#opts.client.appKey);
    const value = await this.#opts.redis.get(key).catch(() => null);
    const at = Number(value);
    return value === null || !Number.isFinite(at) ? undefined : at;
  }
}

import type { Secret } from '../config/secret.js';
import type { Logger } from '../process/logger.js';
import { reconnectDelayMs, type Random } from './backoff.js';
import { realClock, type StreamClock } from './clock.js';
import { openTicket } from './open-ticket.js';
import { StreamConnection, type ConnectionEnd, type EventHandler } from './stream-connection.js';

/** The ACK deadline: DingTalk's events must be answered within 5 s of their arrival. */
export const ACK_DEADLINE_MS = 5000;

export interface StreamClientOptions {
  readonly appKey: string;
  /** Revealed only into the open call's body. */
  readonly appSecret: Secret;
  /** The profile's `dingtalk.apiBaseUrl`: the open call goes to `{apiBaseUrl}/v1.0/gateway/connections/open`. */
  readonly apiBaseUrl: string;
  /** `stream.watchdogSeconds` × 1000: no frame this long and the connection is reopened. */
  readonly watchdogMs: number;
  /** Runs per event; the event is ACKed `SUCCESS` only if it resolves before its signal aborts. */
  readonly onEvent: EventHandler;
  /** Each time a connection opens after one was lost: how long none was open (ms). */
  readonly onGap?: ((ms: number) => void) | undefined;
  /** Each change of the connection's state. */
  readonly onState?: ((status: StreamStatus) => void) | undefined;
  /** A frame that could not be read as an event (counted by the role). */
  readonly onInvalidFrame?: ((reason: string) => void) | undefined;
  readonly log: Logger;
  /**
   * When a connection of this app was last known open (epoch ms; another process's, read from
   * Redis): the first open then reports the gap since. @defaultValue none (no gap reported)
   */
  readonly lostAt?: number | undefined;
  /** @defaultValue 5000 */
  readonly ackDeadlineMs?: number | undefined;
  /** Timeout of the open call and of the WebSocket handshake. @defaultValue 10000 */
  readonly connectTimeoutMs?: number | undefined;
  /** @defaultValue Math.random */
  readonly random?: Random | undefined;
  /** @defaultValue the real clock */
  readonly clock?: StreamClock | undefined;
}

export type StreamState = 'connecting' | 'open' | 'backoff' | 'stopped';

export interface StreamStatus {
  readonly state: StreamState;
  /** Epoch ms the open connection opened. */
  readonly openSince: number | undefined;
  /** Epoch ms the last connection was lost, while none is open. */
  readonly lostAt: number | undefined;
  /** Failed attempts in a row (0 once a connection proved alive). */
  readonly failures: number;
  /** The code of the last failed attempt. */
  readonly lastError: string | undefined;
}

/**
 * One app's Stream connection, kept open: the open call, the WebSocket, reopened at once after
 * a SYSTEM disconnect or a connection that went quiet past the watchdog, and after failed
 * attempts with a backoff of 1 s doubling to 30 s with jitter. `stop()` leaves no timer or
 * socket behind.
 */
export class StreamClient {
  readonly #opts: StreamClientOptions;
  readonly #clock: StreamClock;
  readonly #stop = new AbortController();
  /** Old connections finishing their ACKs after a disconnect. */
  readonly #draining = new Set<StreamConnection>();
  #current: StreamConnection | undefined;
  #running: Promise<void> | undefined;
  #status: StreamStatus;
  /** The pause before the next attempt, once one failed. */
  #delayMs = 0;

  constructor(opts: StreamClientOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
    this.#status = {
      state: 'connecting',
      openSince: undefined,
      lostAt: opts.lostAt,
      failures: 0,
      lastError: undefined,
    };
  }

  status(): StreamStatus {
    return this.#status;
  }

  /** Starts keeping the connection open; once stopped, a client stays stopped. */
  start(): void {
    this.#running ??= this.#run();
  }

  /**
   * Closes every socket at once and ends the loop; resolves when no timer or socket of the
   * client is left. Events in flight get no ACK: DingTalk redelivers them to whoever connects.
   */
  async stop(): Promise<void> {
    this.#stop.abort();
    const closing = [...this.#draining, ...(this.#current === undefined ? [] : [this.#current])];
    await Promise.all(closing.map((c) => c.close('now')));
    await this.#running;
    this.#set({ state: 'stopped', openSince: undefined });
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    while (!stop.aborted) {
      if (this.#status.failures > 0) await this.#backoff(stop);
      if (stop.aborted) break;
      const conn = await this.#connect(stop);
      if (conn === undefined) continue;
      const end = await conn.ended;
      this.#current = undefined;
      if (stop.aborted) break;
      this.#lost(conn, end);
    }
  }

  async #backoff(stop: AbortSignal): Promise<void> {
    this.#set({ state: 'backoff' });
    await this.#clock.sleep(this.#delayMs, stop);
  }

  /** Counts a failed attempt and picks the pause before the next. */
  #failed(code: string): void {
    const failures = this.#status.failures + 1;
    this.#delayMs = reconnectDelayMs(failures, this.#opts.random ?? Math.random);
    this.#set({ failures, lastError: code });
    this.#opts.log.warn(
      { appKey: this.#opts.appKey, code, failures, delayMs: this.#delayMs },
      'Stream connection failed: retrying',
    );
  }

  async #connect(stop: AbortSignal): Promise<StreamConnection | undefined> {
    this.#set({ state: 'connecting' });
    const timeoutMs = this.#opts.connectTimeoutMs ?? 10_000;
    try {
      const { endpoint, ticket } = await openTicket({ ...this.#opts, timeoutMs, signal: stop });
      const conn = await StreamConnection.open(
        {
          endpoint,
          ticket,
          onEvent: this.#opts.onEvent,
          onInvalidFrame: this.#opts.onInvalidFrame,
          watchdogMs: this.#opts.watchdogMs,
          ackDeadlineMs: this.#opts.ackDeadlineMs ?? ACK_DEADLINE_MS,
          handshakeTimeoutMs: timeoutMs,
          now: () => this.#clock.now(),
          log: this.#opts.log,
        },
        stop,
      );
      if (stop.aborted) {
        await conn.close('now');
        return undefined;
      }
      this.#current = conn;
      this.#opened(new URL(endpoint).host);
      return conn;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (!stop.aborted) this.#failed(typeof code === 'string' ? code : 'ERROR');
      return undefined;
    }
  }

  #opened(host: string): void {
    const now = this.#clock.now();
    const { lostAt } = this.#status;
    this.#set({ state: 'open', openSince: now, lostAt: undefined });
    this.#opts.log.info({ appKey: this.#opts.appKey, host }, 'Stream connection open');
    if (lostAt !== undefined) this.#opts.onGap?.(Math.max(0, now - lostAt));
  }

  /**
   * A connection that carried at least one frame proved the gateway talks to us: the next
   * attempt goes at once. One that ended silent counts as a failed attempt, so a gateway
   * that accepts and drops every socket still meets the backoff.
   */
  #lost(conn: StreamConnection, end: ConnectionEnd): void {
    this.#set({ lostAt: this.#clock.now(), openSince: undefined });
    this.#opts.log.warn({ appKey: this.#opts.appKey, end }, 'Stream connection lost: reopening');
    if (conn.frames === 0) this.#failed('NO_FRAME');
    else this.#set({ failures: 0, lastError: undefined });
    if (end === 'disconnect') {
      this.#draining.add(conn);
      void conn.close('drain').finally(() => this.#draining.delete(conn));
    } else void conn.close('now');
  }

  #set(patch: Partial<StreamStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#opts.onState?.(this.#status);
  }
}

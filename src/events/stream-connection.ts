import WebSocket from 'ws';
import { AckDeadlineError } from '../errors/ack-deadline-error.js';
import { StreamConnectError } from '../errors/stream-connect-error.js';
import type { Logger } from '../process/logger.js';
import { ackFrame, pongFrame, readFrame, type Downstream } from './frames.js';
import { parseEvent, type StreamEvent } from './stream-event.js';

/** Why a connection ended: each means "open another". */
export type ConnectionEnd = 'disconnect' | 'watchdog' | 'closed';

/** Handles one event; ACKed `SUCCESS` only when it resolves before `signal` aborts. */
export type EventHandler = (event: StreamEvent, signal: AbortSignal) => Promise<void>;

export interface ConnectionOptions {
  readonly endpoint: string;
  readonly ticket: string;
  readonly onEvent: EventHandler;
  /** A frame that cannot be an event (ACKed when it names a messageId). */
  readonly onInvalidFrame?: ((reason: string) => void) | undefined;
  /** No frame at all this long and the connection is taken for dead. */
  readonly watchdogMs: number;
  /** A handler not done this long after the frame arrived gets no ACK. */
  readonly ackDeadlineMs: number;
  readonly handshakeTimeoutMs: number;
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * One WebSocket to DingTalk's gateway: answers pings, runs each event's handler and ACKs it
 * only once the handler resolved within the deadline, and ends on a SYSTEM disconnect, on the
 * watchdog, or when the socket closes.
 */
export class StreamConnection {
  /** Resolves once, with why the connection ended. */
  readonly ended: Promise<ConnectionEnd>;
  frames = 0;
  lastFrameAt: number | undefined;
  readonly #ws: WebSocket;
  readonly #opts: ConnectionOptions;
  readonly #inflight = new Map<AbortController, Promise<void>>();
  readonly #watchdog: NodeJS.Timeout;
  #done = false;
  #end: (why: ConnectionEnd) => void = () => undefined;

  private constructor(ws: WebSocket, opts: ConnectionOptions) {
    this.#ws = ws;
    this.#opts = opts;
    this.ended = new Promise((resolve) => {
      this.#end = (why) => {
        if (this.#done) return;
        this.#done = true;
        clearTimeout(this.#watchdog);
        resolve(why);
      };
    });
    this.#watchdog = setTimeout(() => {
      opts.log.warn({ watchdogMs: opts.watchdogMs }, 'no Stream frame within the watchdog: reconnecting');
      this.#end('watchdog');
      void this.close('now');
    }, opts.watchdogMs);
    ws.on('message', (data: Buffer) => this.#frame(data.toString('utf8')));
    ws.on('close', () => {
      this.#end('closed');
      this.#abortAll();
    });
  }

  /** Connects; rejects with a StreamConnectError when the upgrade is refused or fails. */
  static open(opts: ConnectionOptions, signal: AbortSignal): Promise<StreamConnection> {
    const url = new URL(opts.endpoint);
    url.searchParams.set('ticket', opts.ticket);
    const ws = new WebSocket(url, { handshakeTimeout: opts.handshakeTimeoutMs, perMessageDeflate: false });
    // after open, socket errors end in 'close', which ends the connection
    ws.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      const fail = (code: string, httpStatus?: number) => {
        signal.removeEventListener('abort', onAbort);
        ws.terminate();
        const path = url.pathname;
        reject(
          new StreamConnectError('upgrade', { path, code, httpStatus, permanent: false, retryable: true }),
        );
      };
      const onAbort = () => fail('ABORTED');
      signal.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => {
        signal.removeEventListener('abort', onAbort);
        resolve(new StreamConnection(ws, opts));
      });
      ws.once('unexpected-response', (_req, res) => fail(`HTTP_${res.statusCode ?? 0}`, res.statusCode));
      ws.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ERR_WEBSOCKET'));
    });
  }

  /**
   * `drain`: waits for the handlers in flight (each ends by its ACK deadline) so their ACKs
   * still go out, then closes; `now`: aborts them (no ACK: DingTalk redelivers) and drops the
   * socket at once.
   */
  async close(mode: 'drain' | 'now'): Promise<void> {
    clearTimeout(this.#watchdog);
    if (mode === 'drain') await Promise.all(this.#inflight.values());
    else this.#abortAll();
    if (this.#ws.readyState !== WebSocket.CLOSED) {
      if (mode === 'drain') this.#ws.close(1000);
      else this.#ws.terminate();
    }
    await this.ended;
  }

  #frame(raw: string): void {
    this.frames++;
    this.lastFrameAt = this.#opts.now();
    if (!this.#done) this.#watchdog.refresh();
    const frame = readFrame(raw);
    if (frame === undefined) {
      this.#opts.onInvalidFrame?.('not a Stream frame');
      return;
    }
    if (frame.type === 'EVENT') this.#event(frame);
    else if (frame.type === 'SYSTEM') this.#system(frame);
  }

  #system(frame: Downstream): void {
    if (frame.headers.topic === 'ping') this.#send(pongFrame(frame));
    else if (frame.headers.topic === 'disconnect') {
      // DingTalk delivers nothing more here; the socket stays up a few seconds for our ACKs
      this.#opts.log.info({ reason: frame.data }, 'Stream gateway asked to reconnect');
      this.#end('disconnect');
    }
  }

  #event(frame: Downstream): void {
    const parsed = parseEvent(frame.headers, frame.data, this.lastFrameAt ?? this.#opts.now());
    if (!parsed.ok) {
      this.#opts.onInvalidFrame?.(parsed.reason);
      if (parsed.messageId !== undefined) this.#send(ackFrame(parsed.messageId));
      return;
    }
    const { event } = parsed;
    // in flight until the handler settles or its signal aborts (the deadline, the close),
    // whichever comes first: a handler that ignores its signal holds no timer and no drain
    const control = new AbortController();
    let settle: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const finish = () => {
      clearTimeout(deadline);
      this.#inflight.delete(control);
      settle();
    };
    const deadline = setTimeout(() => control.abort(new AckDeadlineError()), this.#opts.ackDeadlineMs);
    control.signal.addEventListener(
      'abort',
      () => {
        this.#unacked(event, control.signal.reason);
        finish();
      },
      { once: true },
    );
    this.#inflight.set(control, done);
    Promise.resolve()
      .then(() => this.#opts.onEvent(event, control.signal))
      .then(
        () => {
          if (control.signal.aborted) return;
          this.#send(ackFrame(event.messageId));
          finish();
        },
        (err: unknown) => {
          if (control.signal.aborted) return;
          this.#unacked(event, err);
          finish();
        },
      );
  }

  #unacked(event: StreamEvent, why: unknown): void {
    this.#opts.log.warn(
      { eventId: event.eventId, eventType: event.eventType, why: errorName(why) },
      'event not acknowledged: DingTalk will redeliver it',
    );
  }

  #send(frame: string): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(frame);
  }

  #abortAll(): void {
    for (const c of this.#inflight.keys()) c.abort(new AckDeadlineError('the connection closed'));
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : 'rejected';
}

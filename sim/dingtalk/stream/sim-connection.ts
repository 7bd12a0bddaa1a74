import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { readReply, systemFrame, type ClientReply, type FrameContext } from './frames.js';

/**
 * `live`: gets events and pings. `disconnected`: sent a SYSTEM disconnect, gets nothing more
 * but is still read (DingTalk keeps the TCP connection about 10 s). `silent`: a black hole, as
 * a dead network path: nothing sent, nothing read, no close frame. `closed`: gone.
 */
export type ConnectionState = 'live' | 'disconnected' | 'silent' | 'closed';

export interface ConnectionHooks {
  reply(conn: SimConnection, reply: ClientReply): void;
  pinged(conn: SimConnection, opaque: string): void;
  closed(conn: SimConnection): void;
}

/** One client's WebSocket on the simulated gateway. */
export class SimConnection {
  readonly id = randomUUID();
  readonly openedAt = Date.now();
  /** When the socket closed (or was found closed); undefined while it is up. */
  closedAt: number | undefined;
  readonly ctx: FrameContext;
  #state: ConnectionState = 'live';
  readonly #ws: WebSocket;
  readonly #hooks: ConnectionHooks;
  readonly #pings: NodeJS.Timeout;
  #closeTimer: NodeJS.Timeout | undefined;

  constructor(
    ws: WebSocket,
    ctx: Omit<FrameContext, 'connectionId'>,
    pingIntervalMs: number,
    hooks: ConnectionHooks,
  ) {
    this.#ws = ws;
    this.#hooks = hooks;
    this.ctx = { ...ctx, connectionId: this.id };
    this.#pings = setInterval(() => this.ping(), pingIntervalMs);
    ws.on('message', (data: Buffer) => {
      if (this.#state === 'live' || this.#state === 'disconnected')
        hooks.reply(this, readReply(data.toString('utf8')));
    });
    ws.on('close', () => this.#closed());
    // a client that vanishes mid-frame: its 'close' follows
    ws.on('error', () => undefined);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Sends a frame on a live connection; false when it is not live. */
  send(frame: string): boolean {
    if (this.#state !== 'live') return false;
    this.#ws.send(frame);
    return true;
  }

  ping(): void {
    const opaque = randomUUID();
    if (this.send(systemFrame(this.ctx, 'ping', { opaque }))) this.#hooks.pinged(this, opaque);
  }

  /** SYSTEM disconnect: delivery stops at once, the socket closes `closeAfterMs` later. */
  disconnect(reason: string, closeAfterMs: number): void {
    if (!this.send(systemFrame(this.ctx, 'disconnect', { reason }))) return;
    this.#state = 'disconnected';
    clearInterval(this.#pings);
    this.#closeTimer = setTimeout(() => this.#ws.close(1000, 'disconnect'), closeAfterMs);
  }

  /** Drops the connection silently: no close frame, no more pings, nothing read. */
  silence(): void {
    if (this.#state !== 'live') return;
    this.#state = 'silent';
    clearInterval(this.#pings);
  }

  terminate(): void {
    this.#ws.terminate();
    this.#closed();
  }

  #closed(): void {
    clearInterval(this.#pings);
    clearTimeout(this.#closeTimer);
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.closedAt = Date.now();
    this.#hooks.closed(this);
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { bodyObject, type SimRequest } from '../context.js';
import { apiError, gatewayError, type SimResponse } from '../envelope.js';
import type { OrgChange } from '../org-mutations.js';
import { mulberry32 } from '../../prng.js';
import { Delivery } from './delivery.js';
import { newEventId, type ClientReply, type SimStreamEvent } from './frames.js';
import { DEFAULT_KNOBS, mergeKnobs, type KnobsPatch, type StreamKnobs } from './knobs.js';
import { eventsOfChange } from './org-events.js';
import { StreamLog } from './stream-log.js';
import type { StreamRecord } from './record.js';
import { SimConnection } from './sim-connection.js';

export const OPEN_PATH = '/v1.0/gateway/connections/open';
export const CONNECT_PATH = '/connect';

export interface GatewayOptions {
  readonly appKey: string;
  readonly appSecret: string;
  /** The organisation's corpId, sent as `eventCorpId`. */
  readonly corpId: string;
  readonly seed: number;
  readonly knobs?: KnobsPatch | undefined;
  /** The app's path below the server's root (a simulator host's `/{appKey}`). @defaultValue '' */
  readonly basePath?: string | undefined;
}

/**
 * DingTalk's Stream gateway for the one simulated app (reference: dingtalk-stream.md): the
 * open call hands out single-use tickets, the WebSocket at `/connect?ticket=` carries EVENT and
 * SYSTEM frames, and org mutations become contact events. Also the control surface of the
 * gateway's knobs and actions (`control.stream`, and `/_sim/stream/*` over HTTP).
 */
export class StreamGateway {
  #knobs: StreamKnobs;
  readonly #opts: GatewayOptions;
  readonly #tickets = new Map<string, { expiresAt: number; events: boolean }>();
  readonly #connections = new Set<SimConnection>();
  /** Connections whose ticket subscribed EVENT `*`: only they get events. */
  readonly #subscribed = new WeakSet<SimConnection>();
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #log = new StreamLog();
  readonly #delivery: Delivery;
  readonly #ids = { appId: String(100_000 + randomBytes(2).readUInt16BE()), unifiedAppId: randomUUID() };

  constructor(opts: GatewayOptions) {
    this.#opts = opts;
    this.#knobs = mergeKnobs(DEFAULT_KNOBS, opts.knobs ?? {}, Date.now());
    this.#delivery = new Delivery(
      {
        knobs: () => this.#knobs,
        target: () => this.#live().at(-1),
        sent: (event, messageId, conn, redelivery) =>
          this.#log.sent({ eventId: event.eventId, messageId, connectionId: conn.id, redelivery }),
        acked: (reply, conn, event) => this.#log.acked(reply, conn.id, event?.eventId),
        lost: () => this.#log.lost(),
      },
      mulberry32(opts.seed ^ 0x57ea),
    );
  }

  knobs(): StreamKnobs {
    return this.#knobs;
  }

  setKnobs(patch: KnobsPatch): StreamKnobs {
    this.#knobs = mergeKnobs(this.#knobs, patch, Date.now());
    return this.#knobs;
  }

  /** Emits one event (any type, e.g. one the sync does not act on); `data` is sent as JSON text. */
  emit(eventType: string, data: Record<string, unknown>): SimStreamEvent {
    const event = { eventId: newEventId(), eventType, bornTime: Date.now(), data: JSON.stringify(data) };
    this.#log.emitted(event);
    this.#delivery.emit(event, (patch) => {
      this.#knobs = { ...this.#knobs, ...patch };
    });
    return event;
  }

  /** The events an org mutation makes DingTalk send. */
  orgChanged(change: OrgChange): SimStreamEvent[] {
    return eventsOfChange(change, this.#knobs, Date.now()).map((e) => this.emit(e.eventType, e.data));
  }

  /** SYSTEM disconnect to every live connection; each closes `disconnectCloseMs` later. */
  disconnect(reason = 'server restart'): number {
    const live = this.#live();
    for (const c of live) c.disconnect(reason, this.#knobs.disconnectCloseMs);
    this.#log.changed();
    return live.length;
  }

  /** Drops every live connection silently: no close frame, no pings, nothing read. */
  dropConnections(): number {
    const live = this.#live();
    for (const c of live) c.silence();
    this.#log.changed();
    return live.length;
  }

  /** A SYSTEM ping on every live connection now. */
  ping(): void {
    for (const c of this.#live()) c.ping();
  }

  record(): StreamRecord {
    return this.#log.record();
  }

  /** Resolves once `check(record)` holds; rejects after `timeoutMs` saying what it waited for. */
  until(check: (r: StreamRecord) => boolean, timeoutMs = 10_000): Promise<StreamRecord> {
    return this.#log.until(() => this.record(), check, timeoutMs);
  }

  /** `POST /v1.0/gateway/connections/open`. */
  open(req: SimRequest): SimResponse {
    const body = bodyObject(req);
    if (this.#refusing('open')) {
      this.#log.count('opensRefused');
      return gatewayError(503);
    }
    if (body?.clientId !== this.#opts.appKey || body.clientSecret !== this.#opts.appSecret) {
      this.#log.count('opensDenied');
      return apiError(400, 'invalidClientIdOrSecret', '无效的clientId或者clientSecret');
    }
    const subs = Array.isArray(body.subscriptions) ? (body.subscriptions as unknown[]) : undefined;
    if (subs === undefined || subs.length === 0) {
      this.#log.count('opensDenied');
      return apiError(400, 'invalidParameter', 'subscriptions is required');
    }
    const events = subs.some((s) => isEventSubscription(s));
    const ticket = randomUUID();
    this.#tickets.set(ticket, { expiresAt: Date.now() + this.#knobs.ticketTtlMs, events });
    this.#log.count('opens');
    const host = req.headers.host ?? '127.0.0.1';
    return {
      status: 200,
      json: { endpoint: `ws://${host}${this.#opts.basePath ?? ''}${CONNECT_PATH}`, ticket },
    };
  }

  /** The HTTP server's `upgrade`: a ticket's single use opens a connection. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const refuse = (status: number, text: string) => {
      this.#log.count('upgradesRefused');
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== CONNECT_PATH) return refuse(404, 'Not Found');
    if (this.#refusing('upgrade')) return refuse(503, 'Service Unavailable');
    const ticket = this.#takeTicket(url.searchParams.get('ticket'));
    if (ticket === undefined) return refuse(401, 'Unauthorized');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const ctx = { appId: this.#ids.appId, corpId: this.#opts.corpId, unifiedAppId: this.#ids.unifiedAppId };
      const conn = new SimConnection(ws, ctx, this.#knobs.pingIntervalMs, {
        reply: (c, r) => this.#reply(c, r),
        pinged: (_c, opaque) => this.#log.pinged(opaque),
        closed: (c) => {
          this.#connections.delete(c);
          this.#log.closed(c);
        },
      });
      this.#connections.add(conn);
      if (ticket.events) this.#subscribed.add(conn);
      this.#log.opened(conn);
      if (ticket.events) this.#delivery.flush();
    });
  }

  close(): void {
    this.#delivery.close();
    for (const c of this.#connections) c.terminate();
    this.#wss.close();
    this.#log.close();
  }

  #reply(conn: SimConnection, reply: ClientReply): void {
    if (reply.kind === 'pong') this.#log.ponged(conn.id, reply.opaque);
    else if (reply.kind === 'ack') this.#delivery.ack(reply, conn);
  }

  #live(): SimConnection[] {
    return [...this.#connections].filter((c) => c.state === 'live' && this.#subscribed.has(c));
  }

  #refusing(step: StreamKnobs['refuseStep']): boolean {
    return this.#knobs.refuseStep === step && Date.now() < this.#knobs.refuseUntil;
  }

  #takeTicket(ticket: string | null): { events: boolean } | undefined {
    const t = ticket === null ? undefined : this.#tickets.get(ticket);
    if (ticket !== null) this.#tickets.delete(ticket);
    return t !== undefined && t.expiresAt > Date.now() ? t : undefined;
  }
}

function isEventSubscription(s: unknown): boolean {
  if (typeof s !== 'object' || s === null) return false;
  const { type, topic } = s as Record<string, unknown>;
  return type === 'EVENT' && topic === '*';
}

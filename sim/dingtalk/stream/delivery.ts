import type { Rng } from '../../prng.js';
import { eventFrame, newMessageId, type ClientReply, type SimStreamEvent } from './frames.js';
import type { StreamKnobs } from './knobs.js';
import type { SimConnection } from './sim-connection.js';

/** One copy of an event on its way: redelivered until a connection ACKs it `SUCCESS`. */
interface Pending {
  readonly event: SimStreamEvent;
  messageId: string;
  /** Every messageId this copy has carried. */
  readonly ids: string[];
  sends: number;
  timer: NodeJS.Timeout | undefined;
}

export interface DeliveryHooks {
  knobs(): StreamKnobs;
  /** The connection DingTalk would deliver to now, if any. */
  target(): SimConnection | undefined;
  sent(event: SimStreamEvent, messageId: string, conn: SimConnection, redelivery: boolean): void;
  acked(reply: ClientReply, conn: SimConnection, event: SimStreamEvent | undefined): void;
  lost(event: SimStreamEvent, why: 'dropped' | 'expired'): void;
}

/**
 * DingTalk's delivery as the reference describes it: each event goes to one connection; one
 * not ACKed `SUCCESS` (silence, `LATER`, an empty ACK) is sent again after
 * `redeliverMs`, sometimes with a new `messageId`, until `retainMs` after its birth; the drop,
 * duplicate and delay faults act before the first delivery.
 */
export class Delivery {
  readonly #hooks: DeliveryHooks;
  readonly #rng: Rng;
  /** Every messageId a pending copy has carried: a late ACK of an old id still counts. */
  readonly #byMessageId = new Map<string, Pending>();
  /** Copies that found no live connection, sent when one opens. */
  #waiting: Pending[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(hooks: DeliveryHooks, rng: Rng) {
    this.#hooks = hooks;
    this.#rng = rng;
  }

  /** Applies the faults, then delivers (now, later, twice or never). */
  emit(event: SimStreamEvent, setKnobs: (patch: Partial<StreamKnobs>) => void): void {
    const k = this.#hooks.knobs();
    const chance = (next: number, rate: number) => next > 0 || (rate > 0 && this.#rng() < rate);
    if (chance(k.dropNext, k.dropRate)) {
      if (k.dropNext > 0) setKnobs({ dropNext: k.dropNext - 1 });
      this.#hooks.lost(event, 'dropped');
      return;
    }
    const delayed = chance(k.delayNext, k.delayRate);
    if (delayed && k.delayNext > 0) setKnobs({ delayNext: k.delayNext - 1 });
    const duplicated = chance(k.duplicateNext, k.duplicateRate);
    if (duplicated && k.duplicateNext > 0) setKnobs({ duplicateNext: k.duplicateNext - 1 });
    const first = delayed ? k.delayMs : 0;
    this.#later(first, () => this.#send(this.#pending(event), false));
    if (duplicated) this.#later(first + k.duplicateAfterMs, () => this.#send(this.#pending(event), false));
  }

  /** An ACK from a client: SUCCESS settles the copy; LATER or anything else leaves it pending. */
  ack(reply: ClientReply, conn: SimConnection): void {
    const pending = reply.messageId === undefined ? undefined : this.#byMessageId.get(reply.messageId);
    this.#hooks.acked(reply, conn, pending?.event);
    if (pending === undefined || reply.status !== 'SUCCESS') return;
    clearTimeout(pending.timer);
    this.#forget(pending);
  }

  /** A connection opened: what waited for one goes out. */
  flush(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const p of waiting) this.#send(p, p.sends > 0);
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const p of this.#byMessageId.values()) clearTimeout(p.timer);
    this.#byMessageId.clear();
    this.#waiting = [];
  }

  #pending(event: SimStreamEvent): Pending {
    const messageId = newMessageId();
    const p: Pending = { event, messageId, ids: [messageId], sends: 0, timer: undefined };
    this.#byMessageId.set(messageId, p);
    return p;
  }

  #send(p: Pending, redelivery: boolean): void {
    const k = this.#hooks.knobs();
    if (Date.now() > p.event.bornTime + k.retainMs) {
      this.#forget(p);
      this.#hooks.lost(p.event, 'expired');
      return;
    }
    const conn = this.#hooks.target();
    if (conn === undefined || !conn.send(eventFrame(conn.ctx, p.event, p.messageId))) {
      this.#waiting.push(p);
      this.#expireWaiting(k.retainMs);
      return;
    }
    p.sends++;
    this.#hooks.sent(p.event, p.messageId, conn, redelivery);
    p.timer = setTimeout(() => this.#redeliver(p), k.redeliverMs);
  }

  #redeliver(p: Pending): void {
    if (this.#rng() < this.#hooks.knobs().newMessageIdRate) {
      p.messageId = newMessageId();
      p.ids.push(p.messageId);
      this.#byMessageId.set(p.messageId, p);
    }
    this.#send(p, true);
  }

  /** With no client connected for long, the oldest waiting events expire (waiting is in birth order). */
  #expireWaiting(retainMs: number): void {
    const now = Date.now();
    let first = this.#waiting[0];
    while (first !== undefined && now > first.event.bornTime + retainMs) {
      this.#waiting.shift();
      this.#forget(first);
      this.#hooks.lost(first.event, 'expired');
      first = this.#waiting[0];
    }
  }

  #forget(p: Pending): void {
    for (const id of p.ids) this.#byMessageId.delete(id);
  }

  #later(ms: number, run: () => void): void {
    if (ms <= 0) {
      run();
      return;
    }
    const t = setTimeout(() => {
      this.#timers.delete(t);
      run();
    }, ms);
    this.#timers.add(t);
  }
}

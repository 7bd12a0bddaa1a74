import type { ClientReply, SimStreamEvent } from './frames.js';
import {
  emptyStats,
  type AckRecord,
  type DeliveryRecord,
  type PongRecord,
  type StreamRecord,
  type StreamStats,
} from './record.js';
import type { SimConnection } from './sim-connection.js';

interface Waiter {
  readonly check: () => boolean;
  readonly resolve: () => void;
  readonly fail: (why: string) => void;
}

/**
 * What the gateway did, kept for assertions, with waiters that re-check on every change, so a
 * test awaits "the ACK arrived" instead of sleeping.
 */
export class StreamLog {
  readonly #stats: StreamStats = emptyStats();
  readonly #connections: SimConnection[] = [];
  readonly #events: SimStreamEvent[] = [];
  readonly #deliveries: DeliveryRecord[] = [];
  readonly #acks: AckRecord[] = [];
  readonly #pongs: PongRecord[] = [];
  readonly #pingsOut = new Set<string>();
  readonly #waiters = new Set<Waiter>();

  count(key: keyof StreamStats): void {
    this.#stats[key]++;
    this.changed();
  }

  opened(conn: SimConnection): void {
    this.#connections.push(conn);
    this.count('upgrades');
  }

  closed(_conn: SimConnection): void {
    this.changed();
  }

  emitted(event: SimStreamEvent): void {
    this.#events.push(event);
    this.count('emitted');
  }

  sent(d: DeliveryRecord): void {
    this.#deliveries.push(d);
    if (d.redelivery) this.#stats.redelivered++;
    this.count('sent');
  }

  acked(reply: ClientReply, connectionId: string, eventId: string | undefined): void {
    this.#acks.push({ connectionId, messageId: reply.messageId, eventId, status: reply.status });
    if (eventId !== undefined && reply.status === 'SUCCESS') this.#stats.acked++;
    this.changed();
  }

  lost(): void {
    this.count('lost');
  }

  pinged(opaque: string): void {
    this.#pingsOut.add(opaque);
    this.count('pings');
  }

  ponged(connectionId: string, opaque: string | undefined): void {
    const matched = opaque !== undefined && this.#pingsOut.delete(opaque);
    this.#pongs.push({ connectionId, opaque, matched });
    this.count('pongs');
  }

  record(): StreamRecord {
    return {
      stats: { ...this.#stats },
      connections: this.#connections.map((c) => ({
        id: c.id,
        openedAt: c.openedAt,
        closedAt: c.closedAt,
        state: c.state,
      })),
      events: [...this.#events],
      deliveries: [...this.#deliveries],
      acks: [...this.#acks],
      pongs: [...this.#pongs],
    };
  }

  until(
    read: () => StreamRecord,
    check: (r: StreamRecord) => boolean,
    timeoutMs: number,
  ): Promise<StreamRecord> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => waiter.fail(`in ${timeoutMs} ms`), timeoutMs);
      const waiter: Waiter = {
        check: () => check(read()),
        resolve: () => {
          clearTimeout(timer);
          resolve(read());
        },
        fail: (why) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          reject(new Error(`the simulated gateway did not reach ${check.toString()} ${why}`));
        },
      };
      if (waiter.check()) waiter.resolve();
      else this.#waiters.add(waiter);
    });
  }

  /** Re-checks the waiters; called after every change. */
  changed(): void {
    for (const w of this.#waiters) {
      if (w.check()) {
        this.#waiters.delete(w);
        w.resolve();
      }
    }
  }

  /** Fails whatever still waits: the gateway is gone. */
  close(): void {
    this.changed();
    for (const w of this.#waiters) w.fail('before it closed');
  }
}

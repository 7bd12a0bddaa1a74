import type { SimStreamEvent } from './frames.js';
import type { ConnectionState } from './sim-connection.js';

/** What the gateway counted; tests and the bench read it (`GET /_sim/stream`). */
export interface StreamStats {
  /** Open calls answered with a ticket. */
  opens: number;
  /** Open calls refused by the `refuseSeconds` knob (HTTP 503). */
  opensRefused: number;
  /** Open calls with wrong credentials or body. */
  opensDenied: number;
  /** WebSocket connections accepted. */
  upgrades: number;
  /** Upgrades refused: the knob (503) or a bad, used or expired ticket (401). */
  upgradesRefused: number;
  emitted: number;
  /** EVENT frames sent, first deliveries and redeliveries. */
  sent: number;
  redelivered: number;
  /** ACKs with status SUCCESS of a known messageId. */
  acked: number;
  /** Events dropped by a fault or undelivered past `retainMs`. */
  lost: number;
  pings: number;
  pongs: number;
}

export interface AckRecord {
  readonly connectionId: string;
  readonly messageId: string | undefined;
  /** The event the messageId belongs to; undefined for an unknown messageId. */
  readonly eventId: string | undefined;
  /** SUCCESS, LATER, or undefined (an empty ACK such as `data: "{}"`). */
  readonly status: string | undefined;
}

export interface PongRecord {
  readonly connectionId: string;
  readonly opaque: string | undefined;
  /** It echoed a ping this gateway sent (same opaque). */
  readonly matched: boolean;
}

export interface DeliveryRecord {
  readonly eventId: string;
  readonly messageId: string;
  readonly connectionId: string;
  readonly redelivery: boolean;
}

export interface ConnectionRecord {
  readonly id: string;
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  readonly state: ConnectionState;
}

/** Everything the gateway did, for assertions. */
export interface StreamRecord {
  readonly stats: StreamStats;
  readonly connections: readonly ConnectionRecord[];
  readonly events: readonly SimStreamEvent[];
  readonly deliveries: readonly DeliveryRecord[];
  readonly acks: readonly AckRecord[];
  readonly pongs: readonly PongRecord[];
}

export const emptyStats = (): StreamStats => ({
  opens: 0,
  opensRefused: 0,
  opensDenied: 0,
  upgrades: 0,
  upgradesRefused: 0,
  emitted: 0,
  sent: 0,
  redelivered: 0,
  acked: 0,
  lost: 0,
  pings: 0,
  pongs: 0,
});

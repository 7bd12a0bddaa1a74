import { z } from 'zod';

/**
 * How the simulated Stream gateway behaves (reference: dingtalk-stream.md), switchable at run
 * time (`POST /_sim/stream/knobs` merges a partial object). Defaults: DingTalk's own timings
 * and no fault; tests shorten the timings to milliseconds.
 */
export interface StreamKnobs {
  /** An event not ACKed `SUCCESS` is sent again after this long (DingTalk: about 60 s). */
  readonly redeliverMs: number;
  /** Share (0–1) of redeliveries that carry a new `messageId` (DingTalk's sometimes do). */
  readonly newMessageIdRate: number;
  /** An event undelivered this long after its birth is lost (past DingTalk's redelivery window). */
  readonly retainMs: number;
  /** Lifetime of a ticket from the open call (single-use; DingTalk: about 90 s). */
  readonly ticketTtlMs: number;
  /** SYSTEM ping interval on each connection (DingTalk: every 20–30 s). */
  readonly pingIntervalMs: number;
  /** After a SYSTEM disconnect, the TCP connection stays up this long (DingTalk: about 10 s). */
  readonly disconnectCloseMs: number;
  /** Share (0–1) of events never delivered at all. */
  readonly dropRate: number;
  /** Share (0–1) of events delivered twice (the copy with its own `messageId`). */
  readonly duplicateRate: number;
  /** Share (0–1) of events held back `delayMs` before their first delivery. */
  readonly delayRate: number;
  readonly delayMs: number;
  /** The next N events are dropped / duplicated / delayed (counted down), whatever the rates. */
  readonly dropNext: number;
  readonly duplicateNext: number;
  readonly delayNext: number;
  /** The duplicate copy is sent this long after the first delivery. */
  readonly duplicateAfterMs: number;
  /** `user_leave_org`'s `userId`: an array, or a single string (both are documented). */
  readonly leaveUserIdAs: 'array' | 'string';
  /** Department ids in `deptId` as numbers or as strings. */
  readonly deptIdAs: 'number' | 'string';
  /** Which step a refusal refuses: the open call (HTTP 503) or the WebSocket upgrade (503). */
  readonly refuseStep: 'open' | 'upgrade';
  /** Epoch ms until which reconnects are refused (set with `refuseSeconds`); 0: none. */
  readonly refuseUntil: number;
}

export const DEFAULT_KNOBS: StreamKnobs = {
  redeliverMs: 60_000,
  newMessageIdRate: 0.5,
  retainMs: 600_000,
  ticketTtlMs: 90_000,
  pingIntervalMs: 25_000,
  disconnectCloseMs: 10_000,
  dropRate: 0,
  duplicateRate: 0,
  delayRate: 0,
  delayMs: 0,
  dropNext: 0,
  duplicateNext: 0,
  delayNext: 0,
  duplicateAfterMs: 0,
  leaveUserIdAs: 'array',
  deptIdAs: 'number',
  refuseStep: 'open',
  refuseUntil: 0,
};

const ms = z.number().int().min(0).max(86_400_000);
const rate = z.number().min(0).max(1);
const count = z.number().int().min(0);

/** Body of `POST /_sim/stream/knobs`: some or all knobs, plus `refuseSeconds` (an action). */
export const knobsPatchSchema = z.strictObject({
  redeliverMs: ms.min(1).optional(),
  newMessageIdRate: rate.optional(),
  retainMs: ms.optional(),
  ticketTtlMs: ms.optional(),
  pingIntervalMs: ms.min(1).optional(),
  disconnectCloseMs: ms.optional(),
  dropRate: rate.optional(),
  duplicateRate: rate.optional(),
  delayRate: rate.optional(),
  delayMs: ms.optional(),
  dropNext: count.optional(),
  duplicateNext: count.optional(),
  delayNext: count.optional(),
  duplicateAfterMs: ms.optional(),
  leaveUserIdAs: z.enum(['array', 'string']).optional(),
  deptIdAs: z.enum(['number', 'string']).optional(),
  refuseStep: z.enum(['open', 'upgrade']).optional(),
  /** Refuse reconnects for this many seconds from now (fractions allowed); 0 lifts a refusal. */
  refuseSeconds: z.number().min(0).max(86_400).optional(),
});

export type KnobsPatch = z.input<typeof knobsPatchSchema>;

/** Shallow merge; `refuseSeconds` becomes `refuseUntil`. */
export function mergeKnobs(current: StreamKnobs, patch: KnobsPatch, now: number): StreamKnobs {
  const { refuseSeconds, ...rest } = knobsPatchSchema.parse(patch);
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const refuse = refuseSeconds === undefined ? {} : { refuseUntil: now + refuseSeconds * 1000 };
  return { ...current, ...defined, ...refuse };
}

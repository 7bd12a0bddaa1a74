/**
 * The settings of DingTalk contact events over Stream mode (docs/events.md): a profile's own
 * `events` block and the deployment's `stream` block. Every timing takes fractions (or
 * milliseconds), so tests can set each to a second or less.
 */
import { z } from 'zod';
import { msg } from './problems.js';

const seconds = (max: number) =>
  z
    .number()
    .positive({ error: msg('positive') })
    .max(max);

/** Per profile: whether its people follow DingTalk's events, and how events become runs. */
export const eventsSchema = z.strictObject({
  /**
   * Act on DingTalk's contact events for this profile (its app needs Stream mode and the
   * 通讯录事件 subscription). The scheduled full sync runs either way. @defaultValue false
   */
  enabled: z.boolean().default(false),
  /**
   * Milliseconds a targeted run's window stays open after its first event: whatever arrives
   * meanwhile joins that one run. A window, not a debounce: a steady stream still closes it.
   * @defaultValue 1500
   */
  coalesceMs: z.number().int().min(0).max(600_000).default(1500),
  /** More people than this in one window become one full sync instead. @defaultValue 500 */
  maxTargeted: z.number().int().min(1).max(1_000_000).default(500),
  /**
   * A connection gap longer than this many seconds may have lost events (DingTalk redelivers
   * only for a while): a full sync is enqueued when the connection is back. @defaultValue 600
   */
  gapFullSyncSeconds: seconds(7 * 86_400).default(600),
});

/** Per deployment: how the events role keeps its Stream connections alive. */
export const streamSchema = z.strictObject({
  /**
   * No frame at all (DingTalk's pings included) for this many seconds and the connection is
   * taken for dead and reopened: a "zombie" socket can stay open and receive nothing.
   * @defaultValue 60
   */
  watchdogSeconds: seconds(3600).default(60),
});

export type EventsSettings = z.output<typeof eventsSchema>;
export type StreamSettings = z.output<typeof streamSchema>;

import type { Profile } from '../config/schema.js';
import type { Logger } from '../process/logger.js';
import { profileFingerprint } from '../config/fingerprint.js';
import { enqueueScheduled } from '../queue/enqueue.js';
import type { SyncQueue } from '../queue/queue.js';
import { periodMs, slotKey } from '../calendar/slots.js';

/** Why a slot is being enqueued. */
export type SlotCause = 'tick' | 'catch-up' | 'reload';

export interface SlotEnqueued {
  readonly profileId: string;
  /** The slot key, e.g. `2026-11-30T03:07[Asia/Shanghai]`. */
  readonly slot: string;
  readonly runId: string;
  /** True when this slot already had its job (another scheduler, an earlier start). */
  readonly deduplicated: boolean;
  readonly cause: SlotCause;
}

/**
 * The one way a slot becomes a job, for cron ticks and catch-up alike. BullMQ deduplication
 * keyed by profile and slot, held for the slot's period, makes it idempotent across processes
 * and restarts, even after the job completed and was removed.
 */
export async function enqueueSlot(
  queue: SyncQueue,
  profile: Profile,
  instant: Date,
  cause: SlotCause,
  log: Logger,
): Promise<SlotEnqueued> {
  const slot = slotKey(profile, instant);
  const { runId, existing } = await enqueueScheduled(
    queue,
    profile.id,
    slot,
    periodMs(profile.sync.schedule),
    profileFingerprint(profile),
  );
  const result = { profileId: profile.id, slot, runId, deduplicated: existing, cause };
  log.info(result, existing ? 'slot already enqueued' : 'scheduled run enqueued');
  return result;
}

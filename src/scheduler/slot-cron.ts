import { Cron } from 'croner';
import type { Logger } from '../process/logger.js';
import type { SlotRule } from '../calendar/slots.js';

/**
 * The live croner job of one profile. `protect` keeps a slow enqueue (Redis blip) from
 * overlapping the next tick, and `catch` logs a throwing tick instead of letting the
 * rejection escape, so the cron keeps its schedule either way.
 */
export function startSlotCron(
  rule: SlotRule,
  profileId: string,
  log: Logger,
  onTick: () => Promise<void>,
): Cron {
  return new Cron(
    rule.pattern,
    {
      timezone: rule.timezone,
      protect: () => log.warn({ profileId }, 'previous tick still running: this tick skipped'),
      catch: (err: unknown) =>
        log.error(
          { profileId, err: err instanceof Error ? err.message : String(err) },
          'scheduled enqueue failed',
        ),
    },
    onTick,
  );
}

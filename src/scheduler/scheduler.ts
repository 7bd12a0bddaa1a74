import type { Cron } from 'croner';
import { ConfigError } from '../errors/config-error.js';
import type { Config, Profile } from '../config/schema.js';
import type { Logger } from '../process/logger.js';
import type { SyncQueue } from '../queue/queue.js';
import { redisTargetOf, sameRedis } from '../config/redis-target.js';
import { enqueueSlot, type SlotCause, type SlotEnqueued } from './enqueue-slot.js';
import { startSlotCron } from './slot-cron.js';
import { dueSlot, nextSlot, slotKey, slotRule, unscheduledReason } from '../calendar/slots.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * A tick takes the slot just due. Croner fires at or after the slot, so an hour of grace only
 * covers a late timer (stalled loop, suspended VM); any grace under a day is safe, because a
 * monthly 29–31 pattern's rejected days are weeks after the previous slot.
 */
const TICK_GRACE_MS = HOUR_MS;

/** A reload checks slots back to when the old crons stopped, plus a late timer's margin. */
const RELOAD_MARGIN_MS = MINUTE_MS;

export interface SchedulerOptions {
  readonly queue: SyncQueue;
  readonly log: Logger;
  /** The clock of every slot decision (croner's timers use the real one). @defaultValue () => new Date() */
  readonly now?: () => Date;
  /** Checked at each slot after it is enqueued (the staleness alert), with the config now in force; its failure is only logged. */
  readonly onSlot?: (profile: Profile, config: Config) => Promise<void>;
}

/**
 * The scheduler role: one croner job per scheduled profile, each tick only enqueueing its slot,
 * plus a catch-up check at start and after every reload. Every path goes through
 * `enqueueSlot`, whose deduplication makes any number of schedulers produce one job a slot.
 */
export class Scheduler {
  readonly #queue: SyncQueue;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #onSlot: ((profile: Profile, config: Config) => Promise<void>) | undefined;
  readonly #crons = new Map<string, Cron>();
  readonly #ticks = new Set<Promise<void>>();
  #config: Config | undefined;
  #stopped = false;
  // start, reload and stop run one at a time (two quick SIGHUPs must not interleave)
  #serial: Promise<unknown> = Promise.resolve();

  constructor(options: SchedulerOptions) {
    this.#queue = options.queue;
    this.#log = options.log;
    this.#now = options.now ?? (() => new Date());
    this.#onSlot = options.onSlot;
  }

  /** Arms the crons, logs each profile's next run, then enqueues slots missed within catchUpHours. */
  start(config: Config): Promise<SlotEnqueued[]> {
    return this.#exclusive(async () => {
      if (this.#config !== undefined || this.#stopped) throw new Error('the scheduler was already started');
      this.#arm(config);
      return this.#catchUp(catchUpMs(config), 'catch-up');
    });
  }

  /**
   * Re-reads the config (SIGHUP). An invalid one is logged and the current schedule kept.
   * Otherwise the old crons stop, the new ones start, and slots that fell inside the reload (or
   * within catchUpHours) are checked, so none is lost; deduplication keeps any from doubling.
   * Never throws. Returns whether the new config was applied.
   */
  reload(load: () => Config): Promise<boolean> {
    return this.#exclusive(async () => {
      if (this.#stopped || this.#config === undefined) return false;
      let next: Config;
      try {
        next = load();
      } catch (err) {
        const problems = err instanceof ConfigError ? err.problems : [errorText(err)];
        this.#log.error({ problems }, 'config reload failed: keeping the current schedule');
        return false;
      }
      this.#warnUnappliable(this.#config, next);
      const stoppedAt = this.#now().getTime();
      this.#disarm();
      this.#arm(next);
      this.#log.info({ profiles: this.#crons.size }, 'config reloaded');
      const sinceStop = this.#now().getTime() - stoppedAt + RELOAD_MARGIN_MS;
      await this.#catchUp(Math.max(catchUpMs(next), sinceStop), 'reload');
      return true;
    });
  }

  /** Stops every cron and waits for ticks in flight; later reloads are ignored. */
  stop(): Promise<void> {
    return this.#exclusive(async () => {
      this.#stopped = true;
      this.#disarm();
      await Promise.allSettled([...this.#ticks]);
    });
  }

  /**
   * A cron tick of one profile: enqueues its slot just due, if any. Throws on a Redis failure
   * (croner's `catch` logs it).
   */
  async tick(profileId: string): Promise<SlotEnqueued | undefined> {
    const config = this.#config;
    const profile = config?.profiles.find((p) => p.id === profileId);
    if (config === undefined || profile === undefined) return undefined;
    const now = this.#now();
    const slot = dueSlot(profile, now, Math.max(catchUpMs(config), TICK_GRACE_MS), spreadOf(config));
    if (slot === undefined) return undefined; // a monthly 29–31 pattern's rejected day
    const enqueued = await enqueueSlot(this.#queue, profile, slot, 'tick', this.#log);
    await this.#onSlot?.(profile, config).catch((err: unknown) =>
      this.#log.warn({ profileId, err: errorText(err) }, 'slot check failed'),
    );
    return enqueued;
  }

  /** Each scheduled profile's next slot, from the injected clock. */
  nextRuns(): ReadonlyMap<string, Date> {
    const now = this.#now();
    const out = new Map<string, Date>();
    const spread = spreadOf(this.#config);
    for (const profile of this.#scheduled()) {
      const next = nextSlot(profile, now, spread);
      if (next !== undefined) out.set(profile.id, next);
    }
    return out;
  }

  #arm(config: Config): void {
    this.#config = config;
    const now = this.#now();
    const spread = spreadOf(config);
    for (const profile of config.profiles) {
      const rule = slotRule(profile, spread);
      if (rule === undefined) {
        this.#log.info(
          { profileId: profile.id, reason: unscheduledReason(profile) },
          'profile not scheduled',
        );
        continue;
      }
      const cron = startSlotCron(rule, profile.id, this.#log, () => this.#track(profile.id));
      this.#crons.set(profile.id, cron);
      const next = nextSlot(profile, now, spread);
      this.#log.info(
        {
          profileId: profile.id,
          nextRun: next?.toISOString(),
          slot: next === undefined ? undefined : slotKey(profile, next),
          pattern: rule.pattern,
          timezone: rule.timezone,
        },
        'next scheduled run',
      );
    }
  }

  #disarm(): void {
    for (const cron of this.#crons.values()) cron.stop();
    this.#crons.clear();
  }

  /** Runs a tick for croner, remembering it so stop() can wait for it before Redis closes. */
  async #track(profileId: string): Promise<void> {
    const run = this.tick(profileId).then(() => undefined);
    this.#ticks.add(run);
    try {
      await run;
    } finally {
      this.#ticks.delete(run);
    }
  }

  async #catchUp(windowMs: number, cause: SlotCause): Promise<SlotEnqueued[]> {
    const now = this.#now();
    const done: SlotEnqueued[] = [];
    const spread = spreadOf(this.#config);
    for (const profile of this.#scheduled()) {
      const slot = dueSlot(profile, now, windowMs, spread);
      if (slot === undefined) continue;
      try {
        done.push(await enqueueSlot(this.#queue, profile, slot, cause, this.#log));
      } catch (err) {
        // one profile's failure must not stop the others, nor the crons
        this.#log.error(
          { profileId: profile.id, slot: slotKey(profile, slot), err: errorText(err) },
          'catch-up enqueue failed',
        );
      }
    }
    return done;
  }

  #scheduled(): Profile[] {
    const spread = spreadOf(this.#config);
    return (this.#config?.profiles ?? []).filter((p) => slotRule(p, spread) !== undefined);
  }

  #warnUnappliable(current: Config, next: Config): void {
    if (
      current.redis.prefix !== next.redis.prefix ||
      !sameRedis(redisTargetOf(current), redisTargetOf(next))
    ) {
      this.#log.warn('redis settings changed: they take effect on restart only');
    }
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(work, work);
    this.#serial = run.catch(() => undefined);
    return run;
  }
}

const catchUpMs = (config: Config) => config.scheduler.catchUpHours * HOUR_MS;

/** Before start() there is no config and so no scheduled profile, so the spread is never read. */
const spreadOf = (config: Config | undefined) => config?.scheduler.spreadMinutes ?? 1;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

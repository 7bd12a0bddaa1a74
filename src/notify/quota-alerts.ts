import type { Config, Locale, Profile } from '../config/schema.js';
import { localTime } from '../i18n/time.js';
import type { Logger } from '../process/logger.js';
import { isNear } from '../quota/month-words.js';
import { orgMonths } from '../quota/org-month.js';
import { organisationOf } from '../config/organisation.js';
import type { RedisClient } from '../redis/client.js';
import type { RunSummary } from '../report/summary.js';
import { StateKeys } from '../state/keys.js';
import type { EndedRun, RunEndedListener } from '../worker/run-ended.js';
import { MESSAGES } from './messages.js';
import type { Notifier } from './notifier.js';

export interface QuotaAlertsDeps {
  readonly redis: RedisClient;
  readonly config: Config;
  readonly log: Logger;
  /** The channels, the incident store and the counting of what is sent. */
  readonly notifier: Notifier;
  /** @defaultValue () => new Date() */
  readonly now?: () => Date;
}

/**
 * DingTalk's monthly quota in the robot: when a run ends (its calls counted by then) with its
 * organisation at 80 % of `dingtalk.monthlyQuota` used or projected, one `quota` message per
 * profile; a run that succeeds below it (a new month, a raised quota) resolves it, not any
 * success. Never throws into a run: a failure is logged.
 */
export class QuotaAlerts implements RunEndedListener {
  readonly #now: () => Date;

  constructor(private readonly deps: QuotaAlertsDeps) {
    this.#now = deps.now ?? (() => new Date());
  }

  async runEnded(run: EndedRun): Promise<void> {
    const profile = this.deps.config.profiles.find((p) => p.id === run.profileId);
    if (profile?.dingtalk.monthlyQuota === undefined || run.dryRun) return;
    try {
      await this.#weigh(profile, run.runId, run.report);
    } catch (err) {
      this.deps.log.warn(
        { profileId: profile.id, err: err instanceof Error ? err.message : String(err) },
        'DingTalk monthly quota alert not checked',
      );
    }
  }

  async #weigh(profile: Profile, runId: string, r: RunSummary | undefined): Promise<void> {
    const { config, redis, notifier } = this.deps;
    const now = this.#now();
    const org = organisationOf(config.profiles, profile);
    const [month] = await orgMonths(redis, new StateKeys(config.redis.prefix), config.profiles, now, org);
    const s = month?.standing;
    if (month === undefined || s === undefined) return;
    const locale: Locale = (profile.notify ?? config.notify)?.locale ?? config.locale;
    const at = localTime(now, profile.sync.schedule.timezone, locale);
    const catalog = MESSAGES[locale];
    if (!isNear(month)) {
      // the resolved message names a run that succeeded
      if (r === undefined || !r.status.startsWith('succeeded')) return;
      if ((await notifier.incidents.resolve(profile.id, ['quota'])).length === 0) return;
      const link = this.#link(runId);
      const m = catalog.resolved({ profileId: profile.id, runId, at, kinds: ['quota'], link });
      await notifier.send(profile, {
        kind: 'quota',
        state: 'resolved',
        profileId: profile.id,
        runId,
        message: m,
      });
      return;
    }
    if (!(await notifier.incidents.open(profile.id, 'quota', { openedAt: now.toISOString(), runId }))) return;
    const m = catalog.quota({
      profileId: profile.id,
      org,
      month: month.month,
      used: month.used,
      quota: s.quota,
      percent: s.percent,
      projected: s.projected,
      at,
    });
    await notifier.send(profile, { kind: 'quota', state: 'open', profileId: profile.id, runId, message: m });
  }

  #link(runId: string): string | undefined {
    const base = this.deps.config.web?.publicUrl;
    return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/runs/${encodeURIComponent(runId)}`;
  }
}

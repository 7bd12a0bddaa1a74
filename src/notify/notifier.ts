import type { RedisClient } from '../redis/client.js';
import type { Config, Locale, Profile } from '../config/schema.js';
import { localTime } from '../i18n/time.js';
import type { Logger } from '../process/logger.js';
import { METRICS } from '../metrics/names.js';
import { readGauge } from '../metrics/store.js';
import type { RunSummary } from '../report/summary.js';
import { RunHistory } from '../state/history.js';
import { StateKeys } from '../state/keys.js';
import { periodMs, slotRule } from '../calendar/slots.js';
import type { EndedRun, RunEndedListener } from '../worker/run-ended.js';
import { firstDisabled, firstFailures } from './first-people.js';
import { sendRobot, sendWebhook, type Envelope, type SendResult } from './channels.js';
import { IncidentStore, RUN_INCIDENT_KINDS } from './incidents.js';
import { HELD_NAMED, MESSAGES, type IncidentKind, type Message } from './messages.js';

export interface NotifierDeps {
  readonly redis: RedisClient;
  readonly config: Config;
  readonly log: Logger;
  /** Counts a notification in dtsync_notifications_total. */
  readonly count: (name: string, labels: Readonly<Record<string, string>>) => Promise<void>;
  /** @defaultValue () => new Date() */
  readonly now?: () => Date;
}

/** Records a failure list names in a record-errors message. */
const RECORD_ERRORS_NAMED = 5;

/**
 * Pushes alerts to the configured DingTalk robot and webhook: one message when an incident
 * opens (a failed run's last attempt, a held run, a run with record errors, no success for two
 * schedule periods) and one "resolved" message when a run next succeeds. Never throws into a
 * run: every send is bounded by `notify.timeoutSeconds`, logged and counted.
 */
export class Notifier implements RunEndedListener {
  readonly #store: IncidentStore;
  readonly #history: RunHistory;
  readonly #now: () => Date;

  constructor(private readonly deps: NotifierDeps) {
    this.#store = new IncidentStore(deps.redis, deps.config.redis.prefix);
    this.#history = new RunHistory(
      deps.redis,
      new StateKeys(deps.config.redis.prefix),
      deps.config.history.keepRuns,
    );
    this.#now = deps.now ?? (() => new Date());
  }

  get incidents(): IncidentStore {
    return this.#store;
  }

  /** The same notifier under a reloaded config (the scheduler's SIGHUP). */
  withConfig(config: Config): Notifier {
    return config === this.deps.config ? this : new Notifier({ ...this.deps, config });
  }

  async runEnded(run: EndedRun): Promise<void> {
    const profile = this.deps.config.profiles.find((p) => p.id === run.profileId);
    if (profile === undefined || run.dryRun) return;
    const r = run.report;
    if (r === undefined || r.status === 'failed') {
      if (run.final) await this.#failed(profile, run, r);
      return;
    }
    switch (r.status) {
      case 'succeeded':
        return this.#resolve(profile, r, RUN_INCIDENT_KINDS);
      case 'succeeded_with_errors':
        await this.#resolve(profile, r, ['failed', 'held', 'stale']);
        return this.#recordErrors(profile, r);
      case 'held':
        return this.#held(profile, r);
      case 'rejected':
      case 'superseded':
        return;
    }
  }

  /** The scheduler's check at each slot: no successful run for two schedule periods. */
  async checkStale(profile: Profile): Promise<void> {
    if (slotRule(profile, this.deps.config.scheduler.spreadMinutes) === undefined) return;
    const { frequency } = profile.sync.schedule;
    if (frequency === undefined) return;
    const now = this.#now();
    const lastS = await readGauge(this.deps.redis, this.deps.config.redis.prefix, METRICS.lastSuccess.name, {
      profile: profile.id,
    });
    const since =
      lastS !== undefined ? lastS * 1000 : await this.#store.watchSince(profile.id, now.getTime());
    if (now.getTime() - since <= 2 * periodMs(profile.sync.schedule)) return;
    if (!(await this.#store.open(profile.id, 'stale', { openedAt: now.toISOString(), runId: undefined })))
      return;
    const m = this.#catalog(profile).stale({
      profileId: profile.id,
      at: this.#time(profile, now),
      lastSuccess: lastS === undefined ? undefined : this.#time(profile, new Date(lastS * 1000)),
      period: frequency,
    });
    await this.send(profile, {
      kind: 'stale',
      state: 'open',
      profileId: profile.id,
      runId: undefined,
      message: m,
    });
  }

  async #failed(profile: Profile, run: EndedRun, r: RunSummary | undefined): Promise<void> {
    const at = this.#now();
    if (!(await this.#open(profile, 'failed', run.runId, at))) return;
    const m = this.#catalog(profile).failed({
      profileId: profile.id,
      runId: run.runId,
      at: this.#time(profile, r === undefined ? at : new Date(r.finishedAt)),
      // no report (a lost lock, a stalled job): the catalog says so; the job's line is only quoted
      error: r?.error,
      jobError: r === undefined ? run.error : undefined,
      link: this.#link(run.runId),
    });
    await this.send(profile, this.#envelope('failed', 'open', profile, run.runId, m));
  }

  async #held(profile: Profile, r: RunSummary): Promise<void> {
    if (!(await this.#open(profile, 'held', r.runId, this.#now()))) return;
    const m = this.#catalog(profile).held({
      profileId: profile.id,
      runId: r.runId,
      at: this.#time(profile, new Date(r.finishedAt)),
      reason: r.heldReason,
      people: await firstDisabled(this.#history, r, HELD_NAMED),
      total: r.held?.kinds.disable ?? 0,
      link: this.#link(r.runId),
    });
    await this.send(profile, this.#envelope('held', 'open', profile, r.runId, m));
  }

  async #recordErrors(profile: Profile, r: RunSummary): Promise<void> {
    if (!(await this.#open(profile, 'record_errors', r.runId, this.#now()))) return;
    const m = this.#catalog(profile).recordErrors({
      profileId: profile.id,
      runId: r.runId,
      at: this.#time(profile, new Date(r.finishedAt)),
      failed: r.counts.failed,
      first: await firstFailures(this.#history, r, RECORD_ERRORS_NAMED),
      link: this.#link(r.runId),
    });
    await this.send(profile, this.#envelope('record_errors', 'open', profile, r.runId, m));
  }

  async #resolve(profile: Profile, r: RunSummary, kinds: readonly IncidentKind[]): Promise<void> {
    const closed = await this.#store.resolve(profile.id, kinds);
    if (closed.length === 0) return;
    const m = this.#catalog(profile).resolved({
      profileId: profile.id,
      runId: r.runId,
      at: this.#time(profile, new Date(r.finishedAt)),
      kinds: closed,
      link: this.#link(r.runId),
    });
    const kind = closed[0] ?? 'failed';
    await this.send(profile, this.#envelope(kind, 'resolved', profile, r.runId, m));
  }

  #open(profile: Profile, kind: IncidentKind, runId: string, at: Date): Promise<boolean> {
    return this.#store.open(profile.id, kind, { openedAt: at.toISOString(), runId });
  }

  #envelope(
    kind: IncidentKind,
    state: 'open' | 'resolved',
    profile: Profile,
    runId: string,
    message: Message,
  ): Envelope {
    return { kind, state, profileId: profile.id, runId, message };
  }

  /**
   * Sends on every configured channel at once; each is bounded, logged, counted and remembered.
   * Other alerts of a run's end (quota-alerts.ts) send through it too.
   */
  async send(profile: Profile, e: Envelope): Promise<SendResult[]> {
    const settings = profile.notify ?? this.deps.config.notify;
    if (settings === undefined) return [];
    const timeoutMs = settings.timeoutSeconds * 1000;
    const robot = settings.dingtalkRobot;
    const hook = settings.webhook;
    const sends: Promise<SendResult>[] = [];
    if (robot !== undefined) {
      sends.push(
        (async (): Promise<SendResult> => {
          // the robot checks the signature's timestamp against its own clock: the real time
          const now = Date.now();
          if (!(await this.#store.robotSlot(robot.webhook.reveal(), now)))
            return {
              channel: 'dingtalk_robot',
              outcome: 'rate_limited',
              detail: 'over 20 messages a minute',
            };
          return sendRobot(robot, e.message, timeoutMs, now);
        })(),
      );
    }
    if (hook !== undefined) sends.push(sendWebhook(hook, e, timeoutMs));
    const results = await Promise.all(sends);
    const log = this.deps.log.child({
      profileId: profile.id,
      runId: e.runId,
      incident: e.kind,
      state: e.state,
    });
    for (const r of results) {
      if (r.outcome === 'ok') log.info({ channel: r.channel }, 'notification sent');
      else
        log.warn({ channel: r.channel, outcome: r.outcome, detail: r.detail }, 'notification not delivered');
    }
    await Promise.all([
      ...results.map((r) =>
        this.deps.count(METRICS.notifications.name, { channel: r.channel, outcome: r.outcome }),
      ),
      this.#store.setLast(profile.id, {
        at: this.#now().toISOString(),
        kind: e.kind,
        state: e.state,
        results,
      }),
    ]);
    return results;
  }

  #locale(profile: Profile): Locale {
    return (profile.notify ?? this.deps.config.notify)?.locale ?? this.deps.config.locale;
  }

  #catalog(profile: Profile) {
    return MESSAGES[this.#locale(profile)];
  }

  #link(runId: string): string | undefined {
    const base = this.deps.config.web?.publicUrl;
    return base === undefined ? undefined : `${base.replace(/\/+$/, '')}/runs/${encodeURIComponent(runId)}`;
  }

  /** A time in the profile's zone, as people there read it. */
  #time(profile: Profile, d: Date): string {
    return localTime(d, profile.sync.schedule.timezone, this.#locale(profile));
  }
}

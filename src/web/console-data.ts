import { inGrace, type GracePerson } from '../absence/grace.js';
import { StateKeys } from '../state/keys.js';
import { alertStateOf, type AlertState } from '../notify/alert-state.js';
import type { Profile } from '../config/schema.js';
import { runProgressOf, type RunProgress } from '../engine/progress.js';
import { liveRunsByProfile, type LiveJob } from '../status/profile-states.js';
import type { RunSummary } from '../report/summary.js';
import type { RunStatus, RunTrigger } from '../report/types.js';
import { nextSlot, slotOffset, unscheduledReason, type SlotOffset } from '../calendar/slots.js';
import type { WebDeps } from './deps.js';
import { NotFoundError } from '../errors/not-found-error.js';

/** A profile's settings as the console shows them: read-only, and never a secret. */
export interface ProfileView {
  readonly id: string;
  readonly syncEnabled: boolean;
  readonly scope: Profile['sync']['scope'];
  readonly schedule: Profile['sync']['schedule'];
  /** Where in the hour its scheduled runs start (`delayMinutes`, else its place in the spread); null when manual. */
  readonly slotOffset: SlotOffset | null;
  readonly syncPhone: boolean;
  readonly syncEmail: boolean;
  readonly emailField: string;
  readonly dingIdentity: string;
  readonly adoptExisting: string;
  readonly safety: Profile['sync']['safety'];
  readonly dingtalk: { readonly appKey: string; readonly qps: number };
  readonly pds: { readonly domainId: string; readonly qps: number };
}

/** Built field by field (no spread of the config), so a secret added later is not exposed. */
export function profileView(p: Profile, spreadMinutes: number): ProfileView {
  const s = p.sync;
  return {
    id: p.id,
    syncEnabled: s.enabled,
    scope: s.scope,
    schedule: s.schedule,
    slotOffset: s.schedule.mode === 'auto' ? slotOffset(s.schedule, p.id, spreadMinutes) : null,
    syncPhone: s.syncPhone,
    syncEmail: s.syncEmail,
    emailField: s.emailField,
    dingIdentity: s.dingIdentity,
    adoptExisting: s.adoptExisting,
    safety: s.safety,
    dingtalk: { appKey: p.dingtalk.appKey, qps: p.dingtalk.qps },
    pds: { domainId: p.pds.domainId, qps: p.pds.qps },
  };
}

export function profileOf(deps: WebDeps, id: string): Profile {
  const profile = deps.config.profiles.find((p) => p.id === id);
  if (profile === undefined) throw new NotFoundError('profile', id);
  return profile;
}

export type { RunSummary };

/** A run's summary (its lists are read a page at a time: src/web/run-lists.ts). */
export async function runOf(deps: WebDeps, runId: string): Promise<RunSummary> {
  const report = await deps.history.get(runId);
  if (report === undefined) throw new NotFoundError('run', runId);
  return report;
}

/** A run in the queue, with the progress its worker reports. */
export interface LiveRun {
  readonly runId: string;
  readonly state: string;
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
  readonly progress: RunProgress | null;
  readonly startedBy?: string;
}

export interface ProfileStatus {
  readonly profile: ProfileView;
  readonly lastSync: RunSummary | null;
  readonly lastRun: RunSummary | null;
  readonly live: readonly LiveRun[];
  readonly nextRun: string | null;
  readonly held: readonly RunSummary[];
  /** People gone from DingTalk without an explanation, not disabled before their grace ends. */
  readonly inGrace: readonly GracePerson[];
  /** Open incidents and the last notification sent (src/notify). */
  readonly alerts: AlertState;
}

/** The runs of a profile in the queue, with the progress each worker reports (the job's own). */
export async function liveRuns(deps: WebDeps, profileId: string): Promise<LiveRun[]> {
  return liveRunsOf((await liveRunsByProfile(deps.queue)).get(profileId) ?? []);
}

/** These runs in the queue, with their state and progress. */
async function liveRunsOf(jobs: readonly LiveJob[]): Promise<LiveRun[]> {
  return Promise.all(
    jobs.map(async ({ job, data }) => ({
      runId: job.id ?? '',
      state: await job.getState(),
      trigger: data.trigger,
      dryRun: data.dryRun,
      progress: runProgressOf(job.progress) ?? null,
      ...(data.actor === undefined ? {} : { startedBy: data.actor }),
    })),
  );
}

/**
 * 上次同步信息, the runs in progress, the next slot and the held run of one profile, all from
 * Redis: summaries only, never a run's lists. `live` is the queue's runs by profile when the
 * caller read them once for many profiles.
 */
export async function profileStatus(
  deps: WebDeps,
  profile: Profile,
  live?: ReadonlyMap<string, readonly LiveJob[]>,
): Promise<ProfileStatus> {
  const now = (deps.now ?? (() => new Date()))();
  const [recent, heldId, jobs, alerts, grace] = await Promise.all([
    deps.history.list(profile.id, 1),
    deps.history.heldRunId(profile.id),
    live === undefined ? liveRunsByProfile(deps.queue) : live,
    alertStateOf(deps.redis, deps.config.redis.prefix, profile.id),
    inGrace(
      deps.redis,
      new StateKeys(deps.config.redis.prefix),
      profile.id,
      profile.sync.safety.absenceGraceHours,
      now,
    ),
  ]);
  const newest = recent[0];
  const last = newest === undefined || !newest.dryRun ? newest : await deps.history.lastSync(profile.id);
  const held = heldId === undefined ? undefined : await deps.history.get(heldId);
  const spread = deps.config.scheduler.spreadMinutes;
  const next = unscheduledReason(profile) === undefined ? nextSlot(profile, now, spread) : undefined;
  return {
    profile: profileView(profile, spread),
    lastSync: last ?? null,
    lastRun: newest ?? null,
    live: await liveRunsOf(jobs.get(profile.id) ?? []),
    nextRun: next?.toISOString() ?? null,
    held: held === undefined ? [] : [held],
    inGrace: grace,
    alerts,
  };
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Every match, when known (a run's list searched by name may not know it before its end). */
  readonly total: number | undefined;
  readonly page: number;
  readonly pageSize: number;
  /** Whether a later page holds more (when `total` is unknown). */
  readonly more?: boolean;
}

function pageOf<T>(all: readonly T[], page: number, pageSize: number): Page<T> {
  return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
}

/** A profile's runs, newest first, filtered by status (history keeps `history.keepRuns` of them). */
export async function runPage(
  deps: WebDeps,
  profile: Profile,
  q: { status?: readonly RunStatus[] | undefined; page: number; pageSize: number },
): Promise<Page<RunSummary>> {
  const all = await deps.history.list(profile.id, deps.config.history.keepRuns);
  const wanted = q.status === undefined || q.status.length === 0 ? undefined : new Set(q.status);
  const kept = all.filter((r) => wanted === undefined || wanted.has(r.status));
  return pageOf(kept, q.page, q.pageSize);
}

/** The sync workers connected now (BullMQ reads Redis's CLIENT LIST). */
export async function workersOnline(
  deps: WebDeps,
): Promise<{ count: number; workers: { name: string; age: number }[] }> {
  const workers = await deps.queue.getWorkers();
  const list = workers.map((w) => ({ name: w.name ?? '', age: Number(w.age ?? 0) }));
  return { count: list.length, workers: list };
}

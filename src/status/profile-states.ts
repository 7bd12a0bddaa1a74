import type { Job } from 'bullmq';
import type { Profile } from '../config/schema.js';
import { runDataOf, type JobData, type SyncJobData } from '../queue/jobs.js';
import type { SyncQueue } from '../queue/queue.js';
import type { RunSummary } from '../report/summary.js';
import type { RunStatus } from '../report/types.js';
import type { RunHistory } from '../state/history.js';

/**
 * What a profile is doing, for a list of many profiles (the console, its API, `dtsync status`):
 * `running` while a run of it is queued or active, `held` while a run awaits approval, else its
 * last real run's status, or `never`.
 */
export type ProfileState = 'running' | 'held' | 'never' | Exclude<RunStatus, 'held'>;

/** Every state, in the order a list offers them as filters. */
export const PROFILE_STATES: readonly ProfileState[] = [
  'running',
  'held',
  'failed',
  'succeeded_with_errors',
  'succeeded',
  'never',
  'rejected',
  'superseded',
];

export const isProfileState = (s: string): s is ProfileState => (PROFILE_STATES as string[]).includes(s);

/** The job states of a run that has not ended. */
export const LIVE_JOB_STATES = ['active', 'waiting', 'delayed', 'prioritized'] as const;

export interface LiveJob {
  readonly job: Job<JobData>;
  readonly data: SyncJobData;
}

/** Every run not yet ended, by profile: one queue read, whatever the number of profiles. */
export async function liveRunsByProfile(queue: SyncQueue): Promise<Map<string, LiveJob[]>> {
  const jobs = await queue.getJobs([...LIVE_JOB_STATES]);
  const out = new Map<string, LiveJob[]>();
  for (const job of jobs) {
    const data = runDataOf(job);
    if (data === undefined || job.id === undefined) continue;
    out.set(data.profileId, [...(out.get(data.profileId) ?? []), { job, data }]);
  }
  return out;
}

/**
 * The last finished real (not dry) run. Its newest run first, which is nearly always real; only
 * a profile whose newest run was a preview costs the longer look-back of `lastSync`.
 */
export async function lastRealRun(history: RunHistory, profileId: string): Promise<RunSummary | undefined> {
  const newest = (await history.list(profileId, 1))[0];
  if (newest === undefined) return undefined;
  return newest.dryRun ? history.lastSync(profileId) : newest;
}

export interface ProfileStateRow {
  readonly id: string;
  readonly state: ProfileState;
  readonly syncEnabled: boolean;
  /** The last real run, without its changes and failures. */
  readonly lastRun: Pick<
    RunSummary,
    'runId' | 'status' | 'trigger' | 'startedAt' | 'finishedAt' | 'counts'
  > | null;
  /** The run awaiting approval, if any. */
  readonly heldRunId: string | null;
}

/** Each profile's state, read for all profiles at once (their reads go to Redis together). */
export async function profileStates(
  deps: { readonly history: RunHistory; readonly queue: SyncQueue },
  profiles: readonly Profile[],
  live?: ReadonlyMap<string, readonly LiveJob[]>,
): Promise<ProfileStateRow[]> {
  const running = live ?? (await liveRunsByProfile(deps.queue));
  return Promise.all(
    profiles.map(async (p): Promise<ProfileStateRow> => {
      const [last, held] = await Promise.all([lastRealRun(deps.history, p.id), deps.history.heldRunId(p.id)]);
      const state: ProfileState =
        (running.get(p.id)?.length ?? 0) > 0
          ? 'running'
          : held !== undefined
            ? 'held'
            : last === undefined
              ? 'never'
              : last.status === 'held'
                ? 'superseded' // a held run no longer awaiting approval was replaced or cleared
                : last.status;
      return {
        id: p.id,
        state,
        syncEnabled: p.sync.enabled,
        lastRun:
          last === undefined
            ? null
            : {
                runId: last.runId,
                status: last.status,
                trigger: last.trigger,
                startedAt: last.startedAt,
                finishedAt: last.finishedAt,
                counts: last.counts,
              },
        heldRunId: held ?? null,
      };
    }),
  );
}

export interface StatePage {
  readonly items: readonly ProfileStateRow[];
  /** Profiles matching the filter. */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  /** Profiles in each state, the filter aside: what each filter would show. */
  readonly counts: Readonly<Record<ProfileState, number>>;
}

/** The rows in one of `states` (all when empty), in config order, one page of them. */
export function pageOfStates(
  rows: readonly ProfileStateRow[],
  q: { readonly states: readonly ProfileState[]; readonly page: number; readonly pageSize: number },
): StatePage {
  const counts = Object.fromEntries(PROFILE_STATES.map((s) => [s, 0])) as Record<ProfileState, number>;
  for (const r of rows) counts[r.state]++;
  const wanted = new Set(q.states);
  const kept = wanted.size === 0 ? rows : rows.filter((r) => wanted.has(r.state));
  const start = (q.page - 1) * q.pageSize;
  return {
    items: kept.slice(start, start + q.pageSize),
    total: kept.length,
    page: q.page,
    pageSize: q.pageSize,
    counts,
  };
}

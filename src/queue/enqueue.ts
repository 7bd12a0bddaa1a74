import { runDataOf } from './jobs.js';
import { addJob, type SyncQueue } from './queue.js';

export interface Enqueued {
  readonly runId: string;
  /** True when an equivalent run already existed and was returned instead. */
  readonly existing: boolean;
}

/** The enqueuer's profile fingerprint, when it knows the profile (src/config/fingerprint.ts). */
const fp = (configFingerprint: string | undefined) =>
  configFingerprint === undefined ? {} : { configFingerprint };

/** Deduplication ids are free-form; kept to job-id characters all the same (no ':'). */
const safe = (s: string) => s.replace(/[^A-Za-z0-9_.+-]/g, '_');

/**
 * A scheduled run for one slot. The deduplication id is the profile and slot and lives for
 * the slot's period, so any number of schedulers make one job, even after it completed and
 * was removed.
 */
export async function enqueueScheduled(
  queue: SyncQueue,
  profileId: string,
  slot: string,
  periodMs: number,
  configFingerprint?: string,
): Promise<Enqueued> {
  const dedupId = `schedule-${safe(profileId)}-${safe(slot)}`;
  const { id, deduplicated } = await addJob(
    queue,
    'sync-run',
    { profileId, trigger: 'schedule', dryRun: false, deep: false, slot, ...fp(configFingerprint) },
    { deduplication: { id: dedupId, ttl: periodMs } },
  );
  return { runId: id, existing: deduplicated };
}

async function pendingRunOf(
  queue: SyncQueue,
  profileId: string,
  dryRun: boolean,
): Promise<string | undefined> {
  const jobs = await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);
  const found = jobs.find((j) => {
    const data = runDataOf(j);
    return data?.profileId === profileId && data.dryRun === dryRun;
  });
  return found?.id;
}

/**
 * "Sync now": when a run of that profile with the same dryRun is waiting or active (a
 * scheduled one included), returns it instead of queuing another.
 */
export async function enqueueManual(
  queue: SyncQueue,
  profileId: string,
  opts: {
    dryRun: boolean;
    deep: boolean;
    actor?: string | undefined;
    configFingerprint?: string | undefined;
  },
): Promise<Enqueued> {
  const pending = await pendingRunOf(queue, profileId, opts.dryRun);
  if (pending !== undefined) return { runId: pending, existing: true };
  // two operators at the same instant: BullMQ's simple deduplication keeps one job
  const dedupId = `manual-${safe(profileId)}-${opts.dryRun ? 'dry' : 'real'}`;
  const { id, deduplicated } = await addJob(
    queue,
    'sync-run',
    {
      profileId,
      trigger: 'manual',
      dryRun: opts.dryRun,
      deep: opts.deep,
      ...(opts.actor === undefined ? {} : { actor: opts.actor }),
      ...fp(opts.configFingerprint),
    },
    { deduplication: { id: dedupId } },
  );
  return { runId: id, existing: deduplicated };
}

/** The run an approval starts: it re-reads both sides and applies if nothing new is risky. */
export async function enqueueApproval(
  queue: SyncQueue,
  profileId: string,
  approvedRunId: string,
  actor?: string,
  configFingerprint?: string,
): Promise<Enqueued> {
  const { id, deduplicated } = await addJob(
    queue,
    'sync-run',
    {
      profileId,
      trigger: 'approval',
      dryRun: false,
      deep: false,
      approvedRunId,
      ...(actor === undefined ? {} : { actor }),
      ...fp(configFingerprint),
    },
    { deduplication: { id: `approval-${safe(approvedRunId)}` } },
  );
  return { runId: id, existing: deduplicated };
}

/**
 * The run that reads again the people whose unexplained absence's grace ends at `until`
 * (issue 28): delayed to that instant, so a monthly schedule does not stretch a day's grace to a
 * month. One job per profile and instant, however many runs saw the same grace.
 */
export async function enqueueGraceRecheck(
  queue: SyncQueue,
  profileId: string,
  until: Date,
  now: Date,
): Promise<Enqueued> {
  const { id, deduplicated } = await addJob(
    queue,
    'sync-run',
    { profileId, trigger: 'grace', dryRun: false, deep: false },
    {
      delay: Math.max(0, until.getTime() - now.getTime()),
      deduplication: { id: `grace-${safe(profileId)}-${until.getTime()}` },
    },
  );
  return { runId: id, existing: deduplicated };
}

/**
 * The console's 配置检测 as a job: a worker runs it with its own copy of the profile's secrets,
 * so the web process needs none. It is not retried (an operator asks again) and is kept a day.
 */
export async function enqueueCheck(queue: SyncQueue, profileId: string, actor?: string): Promise<string> {
  const { id } = await addJob(
    queue,
    'config-check',
    { profileId, ...(actor === undefined ? {} : { actor }) },
    { attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } },
  );
  return id;
}

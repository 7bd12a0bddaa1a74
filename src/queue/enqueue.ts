import type { Job } from 'bullmq';
import { JobName, type SyncJobData, type SyncJobResult } from './jobs.js';
import type { SyncQueue } from './queue.js';

export interface Enqueued {
  readonly runId: string;
  /** True when an equivalent run already existed and was returned instead. */
  readonly existing: boolean;
}

const fp = (configFingerprint: string | undefined) =>
  configFingerprint === undefined ? {} : { configFingerprint };

/** BullMQ job ids may not contain ':'; dedup ids are free-form but kept alike. */
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
  const before = await queue.getDeduplicationJobId(dedupId);
  const job = await queue.add(
    JobName.Run,
    { profileId, trigger: 'schedule', dryRun: false, deep: false, slot, ...fp(configFingerprint) },
    { deduplication: { id: dedupId, ttl: periodMs } },
  );
  return { runId: String(job.id), existing: before !== null && before !== undefined };
}

type Pending = Job<SyncJobData, SyncJobResult, JobName>;

async function pendingRunOf(
  queue: SyncQueue,
  profileId: string,
  dryRun: boolean,
): Promise<Pending | undefined> {
  const jobs = await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);
  return jobs.find((j) => j.data.profileId === profileId && j.data.dryRun === dryRun);
}

/**
 * "Sync now": when a run of that profile with the same dryRun is waiting or active (a
 * scheduled one included), returns it instead of queuing another.
 */
export async function enqueueManual(
  queue: SyncQueue,
  profileId: string,
  opts: { dryRun: boolean; deep: boolean; configFingerprint?: string },
): Promise<Enqueued> {
  const pending = await pendingRunOf(queue, profileId, opts.dryRun);
  if (pending?.id !== undefined) return { runId: pending.id, existing: true };
  // two operators at the same instant: BullMQ's simple deduplication keeps one job
  const dedupId = `manual-${safe(profileId)}-${opts.dryRun ? 'dry' : 'real'}`;
  const before = await queue.getDeduplicationJobId(dedupId);
  const job = await queue.add(
    JobName.Run,
    { profileId, trigger: 'manual', dryRun: opts.dryRun, deep: opts.deep, ...fp(opts.configFingerprint) },
    { deduplication: { id: dedupId } },
  );
  return { runId: String(job.id), existing: before !== null && before !== undefined };
}

/** The run an approval starts: it re-reads both sides and applies if nothing new is risky. */
export async function enqueueApproval(
  queue: SyncQueue,
  profileId: string,
  approvedRunId: string,
  configFingerprint?: string,
): Promise<Enqueued> {
  const job = await queue.add(
    JobName.Run,
    { profileId, trigger: 'approval', dryRun: false, deep: false, approvedRunId, ...fp(configFingerprint) },
    { deduplication: { id: `approval-${safe(approvedRunId)}` } },
  );
  return { runId: String(job.id), existing: false };
}

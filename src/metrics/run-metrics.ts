import type { CallStats } from '../http/call-stats.js';
import { APPLIED_COUNTS, type AppliedCounts, type RunReport } from '../report/types.js';

/** What the metrics read of an ended run: its summary's figures (a report has them too). */
export type EndedFigures = Pick<
  RunReport,
  'profileId' | 'trigger' | 'dryRun' | 'status' | 'startedAt' | 'finishedAt' | 'counts' | 'recovered'
>;
import { DURATION_BUCKETS, METRICS } from './names.js';
import type { MetricsBatch } from './store.js';

/** The `action` label of each applied count (snake_case, as Prometheus labels read best). */
const ACTION_LABEL: Record<keyof AppliedCounts, string | undefined> = {
  created: 'created',
  updated: 'updated',
  disabled: 'disabled',
  adopted: 'adopted',
  groupsCreated: 'group_created',
  groupsUpdated: 'group_updated',
  membershipsAdded: 'membership_added',
  membershipsRemoved: 'membership_removed',
  linksAdded: 'link_added',
  linksRemoved: 'link_removed',
  membershipOnly: undefined, // a subset of updated users, not a write of its own
};

/** The `status` label of an ended attempt. */
export function runStatusLabel(report: EndedFigures, finalAttempt: boolean): string {
  if (report.dryRun) return 'dry_run';
  if (report.status === 'failed' && !finalAttempt) return 'retrying';
  return report.status;
}

/** Whether a run counts as the profile's last success (the staleness alert's clock). */
export const isSuccess = (r: EndedFigures): boolean =>
  !r.dryRun && (r.status === 'succeeded' || r.status === 'succeeded_with_errors');

/**
 * What one ended attempt adds to the metrics: its count and duration, the changes it wrote
 * (what earlier attempts wrote was counted when they ended), its failed records and, when it
 * succeeded, the last-success time.
 */
export function addRun(batch: MetricsBatch, report: EndedFigures, finalAttempt: boolean): void {
  const profile = report.profileId;
  const trigger = report.trigger;
  batch.add(METRICS.runs.name, { profile, trigger, status: runStatusLabel(report, finalAttempt) }, 1);
  const started = Date.parse(report.startedAt);
  const finished = Date.parse(report.finishedAt);
  const seconds = Number.isFinite(finished - started) ? Math.max(0, (finished - started) / 1000) : 0;
  addObservation(batch, METRICS.runDuration.name, { profile, trigger }, seconds);
  if (!report.dryRun) {
    for (const k of APPLIED_COUNTS) {
      const action = ACTION_LABEL[k];
      const n = report.counts[k] - (report.recovered?.earlier[k] ?? 0);
      if (action !== undefined && n > 0) batch.add(METRICS.changes.name, { profile, action }, n);
    }
    batch.add(METRICS.recordsFailed.name, { profile }, report.counts.failed);
  }
  if (isSuccess(report)) batch.set(METRICS.lastSuccess.name, { profile }, Math.floor(finished / 1000));
}

/** A histogram observation as cumulative bucket counters, a sum and a count. */
function addObservation(batch: MetricsBatch, name: string, labels: Record<string, string>, v: number): void {
  for (const le of DURATION_BUCKETS)
    if (v <= le) batch.add(`${name}_bucket`, { ...labels, le: String(le) }, 1);
  batch.add(`${name}_bucket`, { ...labels, le: '+Inf' }, 1);
  batch.add(`${name}_sum`, labels, v);
  batch.add(`${name}_count`, labels, 1);
}

/**
 * A run's remote-call outcomes, added to a batch as deltas: each flush adds what was counted
 * since the one before, so a long run's calls show while it lasts and none counts twice.
 */
export class CallsDelta {
  readonly #seen = new Map<string, number>();

  constructor(private readonly stats: { readonly dingtalk: CallStats; readonly pds: CallStats }) {}

  addTo(batch: MetricsBatch): void {
    for (const service of ['dingtalk', 'pds'] as const) {
      for (const { path, outcome, n } of this.stats[service].outcomes()) {
        const key = `${service} ${path} ${outcome}`;
        const delta = n - (this.#seen.get(key) ?? 0);
        this.#seen.set(key, n);
        batch.add(METRICS.remoteCalls.name, { service, api: path, outcome }, delta);
      }
    }
  }
}

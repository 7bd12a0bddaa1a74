import type { RedisClient } from '../redis/client.js';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { SyncQueue } from '../queue/queue.js';
import type { RunTrigger } from '../report/types.js';
import { periodMs, slotRule } from '../calendar/slots.js';
import { RunHistory } from '../state/history.js';
import { StateKeys } from '../state/keys.js';
import { orgMonths } from '../quota/org-month.js';
import { DURATION_BUCKETS, METRICS } from './names.js';
import { quotaGauges } from './quota-metrics.js';
import { readSeries, seriesField, type Labels, type Series } from './store.js';

/**
 * The run-duration histogram as text, from the stored series: prom-client's Histogram can only
 * observe, not be told bucket counts, so this one family is written here (every bucket in
 * order, then the sum and the count, per label set).
 */
export function durationText(stored: readonly Series[]): string {
  const { name, help } = METRICS.runDuration;
  const byField = new Map(stored.map((s) => [seriesField(s.name, s.labels), s.value]));
  const labelText = (l: Labels) =>
    `{${Object.entries(l)
      .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
      .join(',')}}`;
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  for (const c of stored.filter((s) => s.name === `${name}_count`)) {
    for (const le of [...DURATION_BUCKETS.map(String), '+Inf']) {
      const labels = { ...c.labels, le };
      lines.push(
        `${name}_bucket${labelText(labels)} ${byField.get(seriesField(`${name}_bucket`, labels)) ?? 0}`,
      );
    }
    lines.push(`${name}_sum${labelText(c.labels)} ${byField.get(seriesField(`${name}_sum`, c.labels)) ?? 0}`);
    lines.push(`${name}_count${labelText(c.labels)} ${c.value}`);
  }
  return `${lines.join('\n')}\n`;
}

type CounterMetric = (typeof METRICS)['runs' | 'changes' | 'recordsFailed' | 'remoteCalls' | 'notifications'];

/** A counter from the stored series; `zeros` are series shown at 0 until they first count. */
function counter(
  registry: Registry,
  m: CounterMetric,
  series: readonly Series[],
  zeros: readonly Labels[] = [],
): void {
  const c = new Counter({ name: m.name, help: m.help, labelNames: m.labels, registers: [registry] });
  for (const z of zeros) c.inc(z, 0);
  for (const s of series) if (s.name === m.name) c.inc(s.labels, s.value);
}

function gauge(
  registry: Registry,
  m: (typeof METRICS)['lastSuccess' | 'schedulePeriod' | 'runsHeld' | 'heldSince' | 'workersOnline'],
  values: readonly { labels: Labels; value: number }[],
): void {
  const g = new Gauge({ name: m.name, help: m.help, labelNames: m.labels, registers: [registry] });
  for (const v of values) g.set(v.labels, v.value);
}

/** Each profile's held run (if any) and when it started, read from the hold itself. */
async function holds(
  redis: RedisClient,
  config: Config,
): Promise<{ profile: string; since: number | undefined }[]> {
  const keys = new StateKeys(config.redis.prefix);
  const history = new RunHistory(redis, keys, config.history.keepRuns);
  const out = [];
  for (const p of config.profiles) {
    const runId = await history.heldRunId(p.id);
    if (runId === undefined) continue;
    const report = await history.get(runId);
    const since = report === undefined ? undefined : Math.floor(Date.parse(report.startedAt) / 1000);
    out.push({ profile: p.id, since });
  }
  return out;
}

/**
 * A prom-client Registry of every dtsync metric but the duration histogram (its text beside
 * it), built from Redis at each call: every web process serves the same figures, since none
 * of them lives in a process's memory.
 */
export async function metricsRegistry(
  redis: RedisClient,
  queue: SyncQueue,
  config: Config,
  now: () => Date = () => new Date(),
): Promise<{ registry: Registry; duration: string }> {
  const [{ counters, gauges }, held, workers, months] = await Promise.all([
    readSeries(redis, config.redis.prefix),
    holds(redis, config),
    queue.getWorkersCount(),
    orgMonths(redis, new StateKeys(config.redis.prefix), config.profiles, now()),
  ]);
  const registry = new Registry();
  // the series alerts take increase() of exist from the start, so a profile's first failure counts
  const profiles = config.profiles.map((p) => p.id);
  const triggers: readonly RunTrigger[] = ['schedule', 'manual', 'approval', 'grace'];
  counter(
    registry,
    METRICS.runs,
    counters,
    profiles.flatMap((profile) => triggers.map((trigger) => ({ profile, trigger, status: 'failed' }))),
  );
  const known = new Set(config.profiles.map((p) => p.id));
  gauge(
    registry,
    METRICS.lastSuccess,
    gauges.filter((s) => s.name === METRICS.lastSuccess.name && known.has(s.labels.profile ?? '')),
  );
  gauge(
    registry,
    METRICS.schedulePeriod,
    config.profiles.flatMap((p) =>
      slotRule(p) === undefined
        ? []
        : [{ labels: { profile: p.id }, value: periodMs(p.sync.schedule) / 1000 }],
    ),
  );
  counter(registry, METRICS.changes, counters);
  counter(
    registry,
    METRICS.recordsFailed,
    counters,
    profiles.map((profile) => ({ profile })),
  );
  const heldNow = new Set(held.map((h) => h.profile));
  gauge(
    registry,
    METRICS.runsHeld,
    config.profiles.map((p) => ({ labels: { profile: p.id }, value: heldNow.has(p.id) ? 1 : 0 })),
  );
  gauge(
    registry,
    METRICS.heldSince,
    held.flatMap((h) => (h.since === undefined ? [] : [{ labels: { profile: h.profile }, value: h.since }])),
  );
  counter(registry, METRICS.remoteCalls, counters);
  counter(registry, METRICS.notifications, counters);
  gauge(registry, METRICS.workersOnline, [{ labels: {}, value: workers }]);
  quotaGauges(registry, months);
  return { registry, duration: durationText(counters) };
}

/**
 * The text of `/metrics`: every dtsync metric, then BullMQ's own (`bullmq_job_count{queue,state}`
 * and its completed/failed totals). The web role's route serves it as
 * `Registry.PROMETHEUS_CONTENT_TYPE`.
 */
export async function metricsText(
  redis: RedisClient,
  queue: SyncQueue,
  config: Config,
  now?: () => Date,
): Promise<string> {
  const [{ registry, duration }, bull] = await Promise.all([
    metricsRegistry(redis, queue, config, now),
    queue.exportPrometheusMetrics(),
  ]);
  return `${await registry.metrics()}\n${duration}\n${tightLabels(bull)}\n`;
}

/** BullMQ writes `{queue="sync", state="active"}`; strict parsers want no space between labels. */
const tightLabels = (text: string): string => text.replace(/", (?=[a-zA-Z_][a-zA-Z0-9_]*=")/g, '",');

/** The content type `/metrics` answers with (Prometheus text 0.0.4). */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

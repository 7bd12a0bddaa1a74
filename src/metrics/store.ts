import type { RedisClient } from '../redis/client.js';

/** Label values of one series, by label name. */
export type Labels = Readonly<Record<string, string>>;

/** One stored series: a metric (or `_bucket`/`_sum`/`_count` of a histogram), its labels, its value. */
export interface Series {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

/** The Redis keys of the metrics: counters and gauges each in one HASH of series → value. */
export function metricsKeys(prefix: string): { counters: string; gauges: string } {
  return { counters: `${prefix}:metrics:counters`, gauges: `${prefix}:metrics:gauges` };
}

const SEP = '\u001f';

/** A series' hash field: the name, then its labels as sorted JSON, so one series is one field. */
export function seriesField(name: string, labels: Labels): string {
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  return `${name}${SEP}${JSON.stringify(sorted)}`;
}

function parseField(field: string, value: string): Series | undefined {
  const at = field.indexOf(SEP);
  if (at < 0) return undefined;
  const labels: unknown = JSON.parse(field.slice(at + 1));
  const n = Number(value);
  if (typeof labels !== 'object' || labels === null || !Number.isFinite(n)) return undefined;
  return { name: field.slice(0, at), labels: labels as Labels, value: n };
}

/** Every stored series, read in one round trip: what each scrape starts from. */
export async function readSeries(
  redis: RedisClient,
  prefix: string,
): Promise<{ counters: Series[]; gauges: Series[] }> {
  const keys = metricsKeys(prefix);
  const [counters, gauges] = await Promise.all([redis.hgetall(keys.counters), redis.hgetall(keys.gauges)]);
  const parse = (h: Record<string, string>) =>
    Object.entries(h)
      .map(([f, v]) => parseField(f, v))
      .filter((s): s is Series => s !== undefined);
  return { counters: parse(counters), gauges: parse(gauges) };
}

/**
 * Counter increments and gauge values buffered in memory and written in one pipeline per
 * flush: a run's figures go to Redis at its end (and every few seconds while it lasts), never
 * one round trip per remote call.
 */
export class MetricsBatch {
  readonly #adds = new Map<string, number>();
  readonly #sets = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  add(name: string, labels: Labels, n: number): void {
    if (n === 0) return;
    const f = seriesField(name, labels);
    this.#adds.set(f, (this.#adds.get(f) ?? 0) + n);
  }

  set(name: string, labels: Labels, value: number): void {
    this.#sets.set(seriesField(name, labels), value);
  }

  /** Writes what is buffered; returns how many series it wrote. On failure the buffer is kept. */
  async flush(): Promise<number> {
    if (this.#adds.size === 0 && this.#sets.size === 0) return 0;
    const adds = [...this.#adds];
    const sets = [...this.#sets];
    this.#adds.clear();
    this.#sets.clear();
    const keys = metricsKeys(this.prefix);
    // MULTI: a flush lands whole or not at all, so a retried flush never counts twice
    const p = this.redis.multi();
    for (const [f, n] of adds) {
      if (Number.isInteger(n)) p.hincrby(keys.counters, f, n);
      else p.hincrbyfloat(keys.counters, f, n);
    }
    if (sets.length > 0) p.hset(keys.gauges, Object.fromEntries(sets));
    try {
      const results = (await p.exec()) ?? [];
      const failed = results.find(([err]) => err !== null);
      if (failed?.[0] != null) throw failed[0];
    } catch (err) {
      // put them back so the next flush carries them
      for (const [f, n] of adds) this.#adds.set(f, (this.#adds.get(f) ?? 0) + n);
      for (const [f, v] of sets) if (!this.#sets.has(f)) this.#sets.set(f, v);
      throw err;
    }
    return adds.length + sets.length;
  }
}

/** One stored gauge's value, if it was ever set. */
export async function readGauge(
  redis: RedisClient,
  prefix: string,
  name: string,
  labels: Labels,
): Promise<number | undefined> {
  const v = await redis.hget(metricsKeys(prefix).gauges, seriesField(name, labels));
  return v === null ? undefined : Number(v);
}

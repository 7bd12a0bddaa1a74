import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from '../redis/client.js';
import { SUMMARY_WARNINGS } from '../report/summary.js';
import type { Reentry, ReportWarning, RunReport } from '../report/types.js';
import type { StateKeys } from './keys.js';
import type { StoredShape } from './parse-stored.js';
import { STORED } from './stored-shapes.js';
import { unzipped, zipped } from './zipped.js';

/**
 * Queues the small parts of a run stored beside its summary: its re-entries, and its warnings
 * when the summary holds only the first of them. A part with nothing to hold is removed.
 */
export function writeParts(
  m: ChainableCommander,
  keys: StateKeys,
  r: Pick<RunReport, 'runId' | 'reentries' | 'warnings'>,
): void {
  const reentries = r.reentries ?? [];
  if (reentries.length > 0) m.set(keys.runReentries(r.runId), zipped(STORED.reentries, reentries));
  else m.del(keys.runReentries(r.runId));
  if (r.warnings.length > SUMMARY_WARNINGS)
    m.set(keys.runWarnings(r.runId), zipped(STORED.warnings, r.warnings));
  else m.del(keys.runWarnings(r.runId));
}

async function readPart<T>(redis: RedisClient, key: string, shape: StoredShape<T>): Promise<T | undefined> {
  const raw = await redis.getBuffer(key);
  return raw === null ? undefined : unzipped(shape, key, raw);
}

export async function readReentries(redis: RedisClient, keys: StateKeys, runId: string): Promise<Reentry[]> {
  return (await readPart(redis, keys.runReentries(runId), STORED.reentries)) ?? [];
}

/** Every warning of a run: the stored list, or the summary's own when it holds them all. */
export async function readWarnings(
  redis: RedisClient,
  keys: StateKeys,
  run: { readonly runId: string; readonly warnings: readonly ReportWarning[] },
): Promise<ReportWarning[]> {
  return (await readPart(redis, keys.runWarnings(run.runId), STORED.warnings)) ?? [...run.warnings];
}

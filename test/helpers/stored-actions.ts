import { gunzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { StateKeys } from '../../src/state/keys.js';

type Json = Record<string, unknown>;
const records = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/**
 * Every action a run stored (its report's changes and failures, and its whole change log), read
 * raw from Redis: the history's reader would convert an older shape, so it could hide a writer
 * that stores an action outside the union.
 */
export async function storedActions(redis: Redis, prefix: string, runId: string): Promise<unknown[]> {
  const keys = new StateKeys(prefix);
  const report = JSON.parse((await redis.get(keys.run(runId))) ?? '{}') as Json;
  const chunks = await redis.lrangeBuffer(keys.runChanges(runId), 0, -1);
  const logged = chunks.flatMap((c) => {
    const chunk = JSON.parse(gunzipSync(c).toString('utf8')) as unknown;
    return records(Array.isArray(chunk) ? chunk : (chunk as Json).changes);
  });
  return [...records(report.changes), ...records(report.failures), ...logged].map((r) => r.action);
}

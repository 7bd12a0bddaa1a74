import { gunzipSync, gzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import type { RunChange, RunReport, RunStatus } from '../report/types.js';
import type { StateKeys } from './keys.js';

/** Changes kept inline in a stored report; the full log is stored compressed beside it. */
export const STORED_CHANGES_CAP = 1000;

/**
 * Run history and last-sync info per profile, in Redis under the configured prefix: survives
 * restarts, bounded by `history.keepRuns` per profile.
 */
export class RunHistory {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StateKeys,
    private readonly keepRuns: number,
  ) {}

  async save(report: RunReport): Promise<void> {
    const stored: RunReport = {
      ...report,
      changes: report.changes.slice(0, STORED_CHANGES_CAP),
      changesTruncated: report.changesTruncated || report.changes.length > STORED_CHANGES_CAP,
    };
    const zkey = this.keys.runs(report.profileId);
    await this.redis
      .multi()
      .set(this.keys.run(report.runId), JSON.stringify(stored))
      .set(this.keys.runChanges(report.runId), gzipSync(JSON.stringify(report.changes)))
      .zadd(zkey, String(Date.parse(report.startedAt)), report.runId)
      .exec();
    const excess = (await this.redis.zcard(zkey)) - this.keepRuns;
    if (excess > 0) {
      const old = await this.redis.zrange(zkey, '0', String(excess - 1));
      const held = await this.redis.get(this.keys.held(report.profileId));
      const drop = old.filter((id) => id !== held);
      if (drop.length > 0) {
        await this.redis
          .multi()
          .zrem(zkey, ...drop)
          .del(...drop.flatMap((id) => [this.keys.run(id), this.keys.runChanges(id)]))
          .exec();
      }
    }
  }

  async get(runId: string): Promise<RunReport | undefined> {
    const raw = await this.redis.get(this.keys.run(runId));
    return raw === null ? undefined : (JSON.parse(raw) as RunReport);
  }

  /** The full change log of a run (phones and emails masked). */
  async changes(runId: string): Promise<RunChange[]> {
    const raw = await this.redis.getBuffer(this.keys.runChanges(runId));
    return raw === null ? [] : (JSON.parse(gunzipSync(raw).toString('utf8')) as RunChange[]);
  }

  /** Newest first. */
  async list(profileId: string, limit = 20): Promise<RunReport[]> {
    const ids = await this.redis.zrevrange(this.keys.runs(profileId), 0, limit - 1);
    const reports = await Promise.all(ids.map((id) => this.get(id)));
    return reports.filter((r): r is RunReport => r !== undefined);
  }

  /** The last finished real (not dry) run: the "last sync info". */
  async lastSync(profileId: string): Promise<RunReport | undefined> {
    return (await this.list(profileId, 50)).find((r) => !r.dryRun);
  }

  async setStatus(
    runId: string,
    status: RunStatus,
    patch: Partial<RunReport> = {},
  ): Promise<RunReport | undefined> {
    const r = await this.get(runId);
    if (r === undefined) return undefined;
    const next: RunReport = { ...r, ...patch, status };
    await this.redis.set(this.keys.run(runId), JSON.stringify(next));
    return next;
  }

  async heldRunId(profileId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.held(profileId))) ?? undefined;
  }

  /** Records a new hold; an older hold of the same profile is superseded. Returns the superseded id. */
  async setHeld(profileId: string, runId: string): Promise<string | undefined> {
    const previous = await this.redis.getset(this.keys.held(profileId), runId);
    if (previous !== null && previous !== runId) {
      await this.setStatus(previous, 'superseded');
      return previous;
    }
    return undefined;
  }

  /** Clears the profile's hold if it is still this run. */
  async clearHeld(profileId: string, runId: string): Promise<void> {
    const current = await this.redis.get(this.keys.held(profileId));
    if (current === runId) await this.redis.del(this.keys.held(profileId));
  }
}

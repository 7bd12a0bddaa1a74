import { gunzipSync, gzipSync } from 'node:zlib';
import type { RedisClient } from '../redis/client.js';
import type { ChangeLog } from '../report/change-log.js';
import type { EarlierAttempts } from '../report/recovery.js';
import {
  APPLIED_COUNTS,
  type AppliedCounts,
  type RunChange,
  type RunCounts,
  type RunReport,
  type RunStatus,
} from '../report/types.js';
import type { StateKeys } from './keys.js';
import { parseStored, storedJson } from './parse-stored.js';
import { StoredValueError } from '../errors/stored-value-error.js';
import { STORED } from './stored-shapes.js';

function appliedOf(c: Readonly<AppliedCounts>): AppliedCounts {
  return Object.fromEntries(APPLIED_COUNTS.map((k) => [k, c[k]])) as AppliedCounts;
}

/** A change-log chunk's JSON, or a StoredValueError when it is not gzip. */
function unzipped(key: string, index: number, chunk: Buffer): string {
  try {
    return gunzipSync(chunk).toString('utf8');
  } catch {
    throw new StoredValueError(`${key} entry ${index}`, 'not gzip');
  }
}

/**
 * Changes per compressed chunk of a run's change log. Trades Redis writes and gzip's ratio (larger)
 * for the changes a crash between flushes loses from the log (smaller). Safe to change.
 */
const CHUNK = 2000;

/**
 * Run history and last-sync info per profile, in Redis under the configured prefix: survives
 * restarts, bounded by `history.keepRuns` per profile.
 */
export class RunHistory {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    private readonly keepRuns: number,
  ) {}

  /**
   * The run's full change log: a Redis list of gzipped JSON chunks, written while the run
   * goes. A real run keeps what its earlier attempts wrote (their writes were made, and the
   * retry plans from PDS, so nothing is listed twice); a dry run starts afresh, since each
   * attempt lists the whole plan again. Each flush also stores this attempt's applied counts.
   */
  changeLog(runId: string, o: { attempt?: number; keepEarlier?: boolean } = {}): ChangeLog {
    const key = this.keys.runChanges(runId);
    const attemptsKey = this.keys.runAttempts(runId);
    const attempt = String(o.attempt ?? 1);
    let buffer: RunChange[] = [];
    // writes run in order; the first failure is kept (never an unhandled rejection) and
    // surfaces from flush(), so a run never ends with a silently partial log
    let failure: Error | undefined;
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (err: unknown) => {
          failure ??= err instanceof Error ? err : new Error(String(err));
        },
      );
    let chain: Promise<void> =
      o.keepEarlier === true ? Promise.resolve() : settle(this.redis.del(key, attemptsKey));
    const push = (applied?: Readonly<RunCounts>) => {
      if (buffer.length === 0 && applied === undefined) return;
      const chunk = buffer.length === 0 ? undefined : gzipSync(storedJson(STORED.changeChunk, buffer));
      buffer = [];
      const write = () => {
        const m = this.redis.multi();
        if (chunk !== undefined) m.rpush(key, chunk);
        if (applied !== undefined)
          m.hset(attemptsKey, attempt, storedJson(STORED.attempt, appliedOf(applied)));
        return m.exec();
      };
      chain = chain.then(() => (failure === undefined ? settle(write()) : undefined));
    };
    return {
      add: (change) => {
        buffer.push(change);
        if (buffer.length >= CHUNK) push();
      },
      flush: async (applied) => {
        push(applied);
        await chain;
        if (failure !== undefined) throw failure;
      },
    };
  }

  /** What attempts of a run other than `attempt` recorded as applied (empty when none did). */
  async earlierAttempts(runId: string, attempt: number): Promise<EarlierAttempts> {
    const key = this.keys.runAttempts(runId);
    const all = await this.redis.hgetall(key);
    const applied = new Map<number, AppliedCounts>();
    let firstPlanned: { attempt: number; counts: AppliedCounts } | undefined;
    for (const [k, v] of Object.entries(all)) {
      const planned = /^planned:(\d+)$/.exec(k);
      const n = Number(planned?.[1] ?? k);
      if (n === attempt) continue;
      const counts = parseStored(STORED.attempt, `${key} field ${k}`, v);
      if (planned !== null) {
        if (firstPlanned === undefined || n < firstPlanned.attempt) firstPlanned = { attempt: n, counts };
      } else if (Object.values(counts).some((x) => x > 0)) applied.set(n, counts);
    }
    return { applied, firstPlanned };
  }

  /**
   * What an attempt is about to apply (its plan's counts), stored before the first write: the
   * attempt that recovers the run compares it with its own plan, which counts the writes a
   * killed attempt made after its last stored record too.
   */
  async recordPlanned(
    runId: string,
    attempt: number,
    planned: Readonly<RunCounts> | AppliedCounts,
  ): Promise<void> {
    await this.redis.hset(
      this.keys.runAttempts(runId),
      `planned:${attempt}`,
      storedJson(STORED.attempt, appliedOf(planned)),
    );
  }

  /** Stores the report (its changes and failures are already capped inline). */
  async save(report: RunReport): Promise<void> {
    const zkey = this.keys.runs(report.profileId);
    await this.redis
      .multi()
      .set(this.keys.run(report.runId), storedJson(STORED.report, report))
      .zadd(zkey, String(Date.parse(report.startedAt)), report.runId)
      .exec();
    const excess = (await this.redis.zcard(zkey)) - this.keepRuns;
    if (excess > 0) {
      const old = await this.redis.zrange(zkey, '0', String(excess - 1));
      const held = await this.heldRunId(report.profileId);
      const drop = old.filter((id) => id !== held);
      if (drop.length > 0) {
        await this.redis
          .multi()
          .zrem(zkey, ...drop)
          .del(
            ...drop.flatMap((id) => [this.keys.run(id), this.keys.runChanges(id), this.keys.runAttempts(id)]),
          )
          .exec();
      }
    }
  }

  async get(runId: string): Promise<RunReport | undefined> {
    const key = this.keys.run(runId);
    const raw = await this.redis.get(key);
    return raw === null ? undefined : parseStored(STORED.report, key, raw);
  }

  /** The full change log of a run, failures included (phones and emails masked). */
  async changes(runId: string): Promise<RunChange[]> {
    const key = this.keys.runChanges(runId);
    const chunks = await this.redis.lrangeBuffer(key, 0, -1);
    return chunks.flatMap((c, i) =>
      parseStored(STORED.changeChunk, `${key} entry ${i}`, unzipped(key, i, c)),
    );
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
    await this.redis.set(this.keys.run(runId), storedJson(STORED.report, next));
    return next;
  }

  async heldRunId(profileId: string): Promise<string | undefined> {
    const key = this.keys.held(profileId);
    const raw = await this.redis.get(key);
    return raw === null ? undefined : parseStored(STORED.heldRun, key, raw);
  }

  /** Records a new hold; an older hold of the same profile is superseded. Returns the superseded id. */
  async setHeld(profileId: string, runId: string): Promise<string | undefined> {
    const key = this.keys.held(profileId);
    const raw = await this.redis.getset(key, storedJson(STORED.heldRun, runId));
    const previous = raw === null ? undefined : parseStored(STORED.heldRun, key, raw);
    if (previous !== undefined && previous !== runId) {
      await this.setStatus(previous, 'superseded');
      return previous;
    }
    return undefined;
  }

  /** Clears the profile's hold if it is still this run. */
  async clearHeld(profileId: string, runId: string): Promise<void> {
    if ((await this.heldRunId(profileId)) === runId) await this.redis.del(this.keys.held(profileId));
  }
}

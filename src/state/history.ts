import type { RedisClient } from '../redis/client.js';
import type { ChangeLog } from '../report/change-log.js';
import type { RunPeople } from '../report/people.js';
import type { EarlierAttempts } from '../report/recovery.js';
import { heldEntriesOf, summaryOf, type HeldEntry, type RunSummary } from '../report/summary.js';
import {
  APPLIED_COUNTS,
  type AppliedCounts,
  type Reentry,
  type ReportWarning,
  type RunChange,
  type RunCounts,
  type RunReport,
  type RunStatus,
} from '../report/types.js';
import { changeListKeys, failureListKeys, openChangeLog, type ChangeLogOptions } from './change-log-store.js';
import { allChunks, ChunkReader, rewriteList } from './chunk-list.js';
import type { StateKeys } from './keys.js';
import { heldDigestKeys } from './list-filter.js';
import { parseStored, storedJson, VERSION_FIELD } from './parse-stored.js';
import { DepartmentSet, readDepartments } from './run-departments.js';
import { heldListKeys, RunLists } from './run-lists.js';
import { migrateRun } from './run-migration.js';
import { readReentries, readWarnings, writeParts } from './run-parts.js';
import { STORED } from './stored-shapes.js';

function appliedOf(c: Readonly<AppliedCounts>): AppliedCounts {
  return Object.fromEntries(APPLIED_COUNTS.map((k) => [k, c[k]])) as AppliedCounts;
}

/** The layout version of `run:<id>` from which it holds a summary, its parts stored apart. */
const PARTS_VERSION = 3;

/** Whether a raw `run:<id>` is a summary (version 3 on), or a whole report an older version stored. */
function isSummary(raw: string): boolean {
  const m = new RegExp(`^\\{"${VERSION_FIELD}":(\\d+)`).exec(raw);
  return m !== null && Number(m[1]) >= PARTS_VERSION;
}

/**
 * Run history and last-sync info per profile, in Redis under the configured prefix: survives
 * restarts, bounded by `history.keepRuns` per profile. A run is its summary (`run:<id>`) and
 * its parts beside it: the change log (failures included) and the held changes in chunks read
 * a page at a time (`lists`), the departments they name, re-entries and warnings.
 */
export class RunHistory {
  /** The run's change log, failures and held changes, a page at a time. */
  readonly lists: RunLists;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
    private readonly keepRuns: number,
  ) {
    this.lists = new RunLists(redis, keys);
  }

  /**
   * The run's full change log, written while the run goes. A real run keeps what its earlier
   * attempts wrote (their writes were made, and the retry plans from PDS, so nothing is listed
   * twice); a dry run starts afresh, since each attempt lists the whole plan again. Each flush
   * also stores this attempt's applied counts.
   */
  changeLog(runId: string, o: ChangeLogOptions = {}): ChangeLog {
    return openChangeLog(this.redis, this.keys, runId, o);
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

  /**
   * Stores a run: its summary, its held changes (each person once, in chunks), its re-entries
   * and warnings, and the departments its held people are in (`people`, from the run's
   * snapshots). Its changes and failures are already in the change log.
   */
  async save(report: RunReport, people?: Pick<RunPeople, 'department'>): Promise<void> {
    const id = report.runId;
    const zkey = this.keys.runs(report.profileId);
    const m = this.redis.multi();
    m.set(this.keys.run(id), storedJson(STORED.summary, summaryOf(report)));
    const held = report.held === undefined ? [] : heldEntriesOf(report.held);
    rewriteList(m, heldListKeys(this.keys, id), STORED.heldChunk, heldDigestKeys, held);
    writeParts(m, this.keys, report);
    if (people !== undefined && held.length > 0) {
      const departments = new DepartmentSet();
      departments.include(await readDepartments(this.redis, this.keys, id));
      for (const h of held) departments.add(h.deptIds ?? [], people);
      departments.writeTo(m, this.keys.runDepartments(id));
    }
    m.zadd(zkey, String(Date.parse(report.startedAt)), id);
    await m.exec();
    const excess = (await this.redis.zcard(zkey)) - this.keepRuns;
    if (excess > 0) {
      const old = await this.redis.zrange(zkey, '0', String(excess - 1));
      const heldNow = await this.heldRunId(report.profileId);
      const drop = old.filter((x) => x !== heldNow);
      if (drop.length > 0) {
        await this.redis
          .multi()
          .zrem(zkey, ...drop)
          .del(...drop.flatMap((x) => this.keys.runParts(x)))
          .exec();
      }
    }
  }

  /** A run's summary; one an older version stored whole is moved to the parts layout first, once. */
  async get(runId: string): Promise<RunSummary | undefined> {
    const key = this.keys.run(runId);
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    return isSummary(raw)
      ? parseStored(STORED.summary, key, raw)
      : migrateRun(this.redis, this.keys, runId, raw);
  }

  /** The full change log of a run: its changes, then its failures (phones and emails masked). */
  async changes(runId: string): Promise<RunChange[]> {
    await this.get(runId); // an older run's log is re-chunked first
    const out: RunChange[] = [];
    for (const keys of [changeListKeys(this.keys, runId), failureListKeys(this.keys, runId)]) {
      const reader = new ChunkReader(this.redis, keys, STORED.changeChunk);
      const { list } = await reader.lengths();
      for await (const chunk of allChunks(reader, list)) out.push(...chunk);
    }
    return out;
  }

  /** Every held change of a run (the approval's gate reads them all). */
  async heldEntries(runId: string): Promise<HeldEntry[]> {
    await this.get(runId);
    const reader = new ChunkReader(this.redis, heldListKeys(this.keys, runId), STORED.heldChunk);
    const { list } = await reader.lengths();
    const out: HeldEntry[] = [];
    for await (const chunk of allChunks(reader, list)) out.push(...chunk);
    return out;
  }

  /** The people back in scope a run listed (its first 1,000). */
  reentries(runId: string): Promise<Reentry[]> {
    return readReentries(this.redis, this.keys, runId);
  }

  /** Every warning of a run. */
  warnings(run: Pick<RunSummary, 'runId' | 'warnings'>): Promise<ReportWarning[]> {
    return readWarnings(this.redis, this.keys, run);
  }

  /** Newest first. */
  async list(profileId: string, limit = 20): Promise<RunSummary[]> {
    const ids = await this.redis.zrevrange(this.keys.runs(profileId), 0, limit - 1);
    const summaries = await Promise.all(ids.map((id) => this.get(id)));
    return summaries.filter((r): r is RunSummary => r !== undefined);
  }

  /** The last finished real (not dry) run: the "last sync info". */
  async lastSync(profileId: string): Promise<RunSummary | undefined> {
    return (await this.list(profileId, 50)).find((r) => !r.dryRun);
  }

  async setStatus(
    runId: string,
    status: RunStatus,
    patch: Partial<RunSummary> = {},
  ): Promise<RunSummary | undefined> {
    const r = await this.get(runId);
    if (r === undefined) return undefined;
    const next: RunSummary = { ...r, ...patch, status };
    await this.redis.set(this.keys.run(runId), storedJson(STORED.summary, next));
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

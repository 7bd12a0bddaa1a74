import type { RedisClient } from '../redis/client.js';
import type { LinkJournal } from '../apply/context.js';
import type { Baseline, SourceCounts } from '../gate/preflight.js';
import type { RecordedTarget, TargetDomain } from '../gate/target.js';
import type { StateKeys } from './keys.js';
import { parseStored, storedJson } from './parse-stored.js';
import { STORED } from './stored-shapes.js';

/** How long a last-complete record lives without a new complete run of that scope. */
const LAST_COMPLETE_TTL_S = 400 * 24 * 3600;

/**
 * Done marks per Redis call (see `journal`). Trades Redis calls for the links a killed run reads
 * again. Safe to change.
 */
const DONE_BLOCK = 500;

export class SnapshotState {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async lastComplete(
    profileId: string,
    scopeKey: string,
  ): Promise<Extract<Baseline, { kind: 'lastComplete' }> | undefined> {
    const key = this.keys.lastComplete(profileId, scopeKey);
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    const parsed = parseStored(STORED.lastComplete, key, raw);
    return {
      kind: 'lastComplete',
      counts: { users: parsed.users, departments: parsed.departments },
      at: parsed.at,
    };
  }

  /**
   * A complete run's record: its snapshot's counts, its scope, and the PDS domain it wrote to
   * (`target`, unless the token answer named no domain).
   */
  async recordComplete(
    profileId: string,
    scopeKey: string,
    counts: SourceCounts,
    at: string,
    target?: TargetDomain,
  ): Promise<void> {
    const m = this.redis.multi();
    if (target !== undefined)
      m.set(
        this.keys.lastTarget(profileId),
        storedJson(STORED.lastTarget, { ...target, at }),
        'EX',
        LAST_COMPLETE_TTL_S,
      );
    await m
      .set(
        this.keys.lastComplete(profileId, scopeKey),
        storedJson(STORED.lastComplete, { users: counts.users, departments: counts.departments, at }),
        'EX',
        LAST_COMPLETE_TTL_S,
      )
      .set(this.keys.lastScope(profileId), storedJson(STORED.lastScope, scopeKey), 'EX', LAST_COMPLETE_TTL_S)
      .exec();
  }

  /** The PDS domain the profile's last complete run wrote to, if any was recorded. */
  async lastTarget(profileId: string): Promise<RecordedTarget | undefined> {
    const key = this.keys.lastTarget(profileId);
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    const { domainId, baseUrl, at } = parseStored(STORED.lastTarget, key, raw);
    return { domainId, baseUrl, at };
  }

  /** The scope key of the profile's last complete run, if any. */
  async lastScope(profileId: string): Promise<string | undefined> {
    const key = this.keys.lastScope(profileId);
    const raw = await this.redis.get(key);
    return raw === null ? undefined : parseStored(STORED.lastScope, key, raw);
  }

  /**
   * When each of these re-entered people was first seen back. With `keep`, the record is
   * updated: people seen for the first time get `at`, people no longer waiting are dropped.
   */
  async reentrySince(
    profileId: string,
    userids: readonly string[],
    at: string,
    keep: boolean,
  ): Promise<Map<string, string>> {
    const key = this.keys.reentries(profileId);
    const known = new Map(
      Object.entries(await this.redis.hgetall(key)).map(([u, raw]) => [
        u,
        parseStored(STORED.reentrySince, `${key} field ${u}`, raw),
      ]),
    );
    const since = new Map(userids.map((u) => [u, known.get(u) ?? at]));
    if (!keep) return since;
    const gone = [...known.keys()].filter((u) => !since.has(u));
    const fresh = userids.filter((u) => !known.has(u));
    const m = this.redis.multi();
    if (gone.length > 0) m.hdel(key, ...gone);
    const value = storedJson(STORED.reentrySince, at);
    for (let i = 0; i < fresh.length; i += 1000)
      m.hset(key, Object.fromEntries(fresh.slice(i, i + 1000).map((u) => [u, value])));
    if (gone.length > 0 || fresh.length > 0) await m.exec();
    return since;
  }

  async pendingLinks(profileId: string): Promise<string[]> {
    const key = this.keys.linksPending(profileId);
    const members = await this.redis.smembers(key);
    return [...new Set(members.map((m) => parseStored(STORED.linkJournalEntry, `${key} member`, m)))];
  }

  /**
   * Done marks are sent in blocks of DONE_BLOCK ids (not a Redis call per linked user: 185,000
   * of them in a 100,000-user first run) and by `flush` when the apply ends. A run killed
   * in between leaves up to a block of finished users pending: the next run reads their links
   * once more and finds nothing to do.
   *
   * `flush` also writes again the users this run still leaves pending (failed, or not reached
   * before the run stopped): a Redis restarted without its data mid-run has lost the set written
   * at the start, and a user created or re-phoned before the restart but not yet linked would
   * otherwise look in step to every later plain run and never get its login links.
   */
  journal(profileId: string): LinkJournal {
    const key = this.keys.linksPending(profileId);
    const pending = new Set<string>();
    let finished: string[] = [];
    const entry = (id: string) => storedJson(STORED.linkJournalEntry, id);
    const add = async (ids: readonly string[]) => {
      for (let i = 0; i < ids.length; i += 1000)
        await this.redis.sadd(key, ...ids.slice(i, i + 1000).map(entry));
    };
    const sendDone = async () => {
      if (finished.length === 0) return;
      const ids = finished;
      finished = [];
      // an entry of version 1 was the bare id: it goes too
      await this.redis.srem(key, ...ids.flatMap((id) => [entry(id), id]));
    };
    return {
      add: async (ids) => {
        for (const id of ids) pending.add(id);
        await add(ids);
      },
      done: async (ids) => {
        for (const id of ids) pending.delete(id);
        finished.push(...ids);
        if (finished.length >= DONE_BLOCK) await sendDone();
      },
      flush: async () => {
        await sendDone();
        await add([...pending]);
      },
    };
  }
}

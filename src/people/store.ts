import type { RedisClient } from '../redis/client.js';
import type { RunChange } from '../report/types.js';
import { changeListKeys, failureListKeys } from '../state/change-log-store.js';
import { allChunks, ChunkReader } from '../state/chunk-list.js';
import type { StateKeys } from '../state/keys.js';
import { parseStored, storedJson } from '../state/parse-stored.js';
import { STORED } from '../state/stored-shapes.js';
import { cardsOf, departmentTree, subjectsOf, type CompleteRun } from './build-cards.js';
import { findTokens } from './find-tokens.js';
import { STORED_PEOPLE } from './schemas.js';
import type { DepartmentTree, PersonCard, PersonEvent } from './types.js';

/** Cards (and people's histories) read and written per Redis round trip. */
const BATCH = 1000;

/** A person's history keeps their last this many changes (the kept runs' are shown). */
const MAX_EVENTS = 200;

/**
 * Writes the per-person index at the end of a run, keyed by PDS user id, so a person's page
 * reads their own card and history and never a whole run.
 */
export class PeopleWriter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  /**
   * The changes and failures of a run that wrote, from its change log and its failures (each a
   * chunked list: src/state/change-log-store.ts), appended to each person's history one chunk at
   * a time. Returns the PDS user ids that failed.
   */
  async addChanges(profileId: string, runId: string, at: string): Promise<Set<string>> {
    const hkey = this.keys.personHistory(profileId);
    const keep = new Set(await this.redis.zrange(this.keys.runs(profileId), '0', '-1'));
    const failed = new Set<string>();
    for (const listKeys of [changeListKeys(this.keys, runId), failureListKeys(this.keys, runId)]) {
      const reader = new ChunkReader(this.redis, listKeys, STORED.changeChunk);
      const { list } = await reader.lengths();
      for await (const changes of allChunks(reader, list))
        await this.#append(hkey, keep, runId, at, changes, failed);
    }
    return failed;
  }

  async #append(
    hkey: string,
    keep: ReadonlySet<string>,
    runId: string,
    at: string,
    changes: readonly RunChange[],
    failed: Set<string>,
  ): Promise<void> {
    const byPerson = new Map<string, PersonEvent[]>();
    for (const c of changes) {
      if (c.pdsUserId === undefined) continue; // a group's change
      if (c.failure !== undefined) failed.add(c.pdsUserId);
      const list = byPerson.get(c.pdsUserId) ?? [];
      list.push({
        runId,
        at,
        action: c.action,
        ...(c.fields === undefined ? {} : { fields: c.fields }),
        ...(c.failure === undefined ? {} : { failure: c.failure }),
      });
      byPerson.set(c.pdsUserId, list);
    }
    const ids = [...byPerson.keys()];
    for (let b = 0; b < ids.length; b += BATCH) {
      const batch = ids.slice(b, b + BATCH);
      const old = await this.redis.hmget(hkey, ...batch);
      const next: Record<string, string> = {};
      batch.forEach((id, j) => {
        const raw = old[j];
        const earlier = raw == null ? [] : parseStored(STORED_PEOPLE.events, `${hkey} field ${id}`, raw);
        // a run no longer kept is dropped here; one that ended since is dropped where it is read
        const events = [...earlier.filter((e) => keep.has(e.runId)), ...(byPerson.get(id) ?? [])];
        next[id] = storedJson(STORED_PEOPLE.events, events.slice(-MAX_EVENTS));
      });
      await this.redis.hset(hkey, next);
    }
  }

  /**
   * The cards of everyone a complete run knew, and the department tree it saw. Only cards that
   * differ from the stored ones are written, with their search entries.
   */
  async addComplete(profileId: string, run: CompleteRun): Promise<void> {
    const ckey = this.keys.personCards(profileId);
    const fkey = this.keys.personFind(profileId);
    const subjects = subjectsOf(run);
    for (let b = 0; b < subjects.length; b += BATCH) {
      const batch = subjects.slice(b, b + BATCH);
      const old = await this.redis.hmget(ckey, ...batch.map((s) => s.pdsUserId));
      const prev = new Map<string, PersonCard>();
      const prevRaw = new Map<string, string>();
      batch.forEach((s, j) => {
        const raw = old[j];
        if (raw == null) return;
        prevRaw.set(s.pdsUserId, raw);
        prev.set(s.pdsUserId, parseStored(STORED_PEOPLE.card, `${ckey} field ${s.pdsUserId}`, raw));
      });
      const m = this.redis.multi();
      let writes = 0;
      for (const card of cardsOf(run, batch, prev)) {
        const before = prev.get(card.pdsUserId);
        const same = before !== undefined && sameCard(before, card);
        if (same) continue;
        m.hset(ckey, card.pdsUserId, storedJson(STORED_PEOPLE.card, card));
        const gone = before === undefined ? [] : findTokens(before);
        const fresh = findTokens(card);
        const drop = gone.filter((t) => !fresh.includes(t));
        if (drop.length > 0) m.zrem(fkey, ...drop);
        m.zadd(fkey, ...fresh.flatMap((t) => ['0', t]));
        writes++;
      }
      if (writes > 0) await m.exec();
    }
    await this.redis.set(
      this.keys.departments(profileId),
      storedJson(STORED_PEOPLE.departments, departmentTree(run)),
    );
  }
}

/** Two cards the same but for the run that wrote them: not written again. */
function sameCard(a: PersonCard, b: PersonCard): boolean {
  const strip = ({ runId: _r, at: _a, ...rest }: PersonCard) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/** Reads what PeopleWriter wrote. */
export class PeopleReader {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async card(profileId: string, pdsUserId: string): Promise<PersonCard | undefined> {
    const key = this.keys.personCards(profileId);
    const raw = await this.redis.hget(key, pdsUserId);
    return raw === null ? undefined : parseStored(STORED_PEOPLE.card, `${key} field ${pdsUserId}`, raw);
  }

  async cards(profileId: string, pdsUserIds: readonly string[]): Promise<PersonCard[]> {
    if (pdsUserIds.length === 0) return [];
    const key = this.keys.personCards(profileId);
    const raws = await this.redis.hmget(key, ...pdsUserIds);
    return raws.flatMap((raw, i) =>
      raw == null ? [] : [parseStored(STORED_PEOPLE.card, `${key} field ${pdsUserIds[i] ?? ''}`, raw)],
    );
  }

  /** The person's changes in the runs still kept, newest first. */
  async events(profileId: string, pdsUserId: string): Promise<PersonEvent[]> {
    const key = this.keys.personHistory(profileId);
    const [raw, kept] = await Promise.all([
      this.redis.hget(key, pdsUserId),
      this.redis.zrange(this.keys.runs(profileId), '0', '-1'),
    ]);
    if (raw === null) return [];
    const keep = new Set(kept);
    return parseStored(STORED_PEOPLE.events, `${key} field ${pdsUserId}`, raw)
      .filter((e) => keep.has(e.runId))
      .reverse();
  }

  /** The PDS user ids whose search entries start with `prefix` (at most `limit`). */
  async find(profileId: string, prefix: string, limit: number): Promise<string[]> {
    const members = await this.redis.zrangebylex(
      this.keys.personFind(profileId),
      `[${prefix}`,
      `[${prefix}\u{10FFFF}`,
      'LIMIT',
      0,
      limit,
    );
    return members.map((m) => m.slice(m.lastIndexOf('\t') + 1));
  }

  /** Since when a DingTalk userid waits in the profile's re-entry list, if it does. */
  async reentrySince(profileId: string, userid: string): Promise<string | undefined> {
    const key = this.keys.reentries(profileId);
    const raw = await this.redis.hget(key, userid);
    return raw === null ? undefined : parseStored(STORED.reentrySince, `${key} field ${userid}`, raw);
  }

  async departments(profileId: string): Promise<DepartmentTree | undefined> {
    const key = this.keys.departments(profileId);
    const raw = await this.redis.get(key);
    return raw === null ? undefined : parseStored(STORED_PEOPLE.departments, key, raw);
  }
}

import type { RedisClient } from '../redis/client.js';
import type { AbsenceRecord } from './absence-schemas.js';
import type { StateKeys } from './keys.js';
import { parseStored, storedJson } from './parse-stored.js';
import { STORED } from './stored-shapes.js';

/** Fields per HSET: bounds one command's size on a large absence. */
const FIELDS_PER_CALL = 1000;

/** A person seen absent by this run, as it is stored (without `since`, which the state keeps). */
export interface SeenAbsence {
  readonly kind: AbsenceRecord['kind'];
  readonly pdsUserId: string;
  readonly name: string;
}

/**
 * What the state keeps about managed people missing from the walk, per profile: since when a run
 * has seen each absent (the first time is kept: it starts an unexplained person's grace, and a
 * disable budget spends its room oldest first), and what confirming found.
 */
export class AbsenceState {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StateKeys,
  ) {}

  async absences(profileId: string): Promise<Map<string, AbsenceRecord>> {
    const key = this.keys.absences(profileId);
    const all = await this.redis.hgetall(key);
    return new Map(
      Object.entries(all).map(([u, raw]) => [u, parseStored(STORED.absence, `${key} field ${u}`, raw)]),
    );
  }

  /**
   * The absences this run confirmed, each with the first time a run saw it (`at` for the new).
   * With `keep` (a real run) the state becomes exactly these: people no longer absent (back,
   * disabled, gone from PDS) are dropped, the rest keep their first time.
   */
  async record(
    profileId: string,
    seen: ReadonlyMap<string, SeenAbsence>,
    at: string,
    keep: boolean,
  ): Promise<Map<string, AbsenceRecord>> {
    const known = await this.absences(profileId);
    const now = new Map<string, AbsenceRecord>();
    for (const [userid, s] of seen) now.set(userid, { ...s, since: known.get(userid)?.since ?? at });
    if (!keep) return now;
    const key = this.keys.absences(profileId);
    const gone = [...known.keys()].filter((u) => !seen.has(u));
    const changed = [...now].filter(([u, r]) => JSON.stringify(known.get(u)) !== JSON.stringify(r));
    if (gone.length === 0 && changed.length === 0) return now;
    const m = this.redis.multi();
    if (gone.length > 0) m.hdel(key, ...gone);
    for (let i = 0; i < changed.length; i += FIELDS_PER_CALL) {
      const part = changed.slice(i, i + FIELDS_PER_CALL);
      m.hset(key, Object.fromEntries(part.map(([u, r]) => [u, storedJson(STORED.absence, r)])));
    }
    await m.exec();
    return now;
  }
}

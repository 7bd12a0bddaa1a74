import type { RedisClient } from '../redis/client.js';
import { AbsenceState } from '../state/absences.js';
import type { StateKeys } from '../state/keys.js';

const HOUR_MS = 3600_000;

/** A person whose unexplained absence is in its grace, as the console and `dtsync status` list them. */
export interface GracePerson {
  readonly userid: string;
  readonly pdsUserId: string;
  /** Their name as PDS holds it (never a phone or an email). */
  readonly name: string;
  /** When a run first saw them absent (ISO). */
  readonly since: string;
  /** The end of the grace (ISO): then read once more, and disabled if still unexplained. */
  readonly until: string;
}

/**
 * Who is in grace now, from the state the runs keep (not from the last report, which a dry or
 * held run may not have refreshed), soonest end first. `graceHours` is the profile's
 * `safety.absenceGraceHours` now: a changed setting moves every end at once, as the next run
 * will read it.
 */
export async function inGrace(
  redis: RedisClient,
  keys: StateKeys,
  profileId: string,
  graceHours: number,
  now: Date,
): Promise<GracePerson[]> {
  const all = await new AbsenceState(redis, keys).absences(profileId);
  const out: GracePerson[] = [];
  for (const [userid, r] of all) {
    if (r.kind !== 'unexplained') continue;
    const until = Date.parse(r.since) + graceHours * HOUR_MS;
    if (!Number.isFinite(until) || until <= now.getTime()) continue;
    out.push({
      userid,
      pdsUserId: r.pdsUserId,
      name: r.name,
      since: r.since,
      until: new Date(until).toISOString(),
    });
  }
  return out.sort((a, b) => a.until.localeCompare(b.until));
}

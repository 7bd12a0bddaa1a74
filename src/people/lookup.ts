import { findPrefixes } from './find-tokens.js';
import type { PeopleReader } from './store.js';
import type { PersonCard, PersonHit, PersonPage } from './types.js';

/** Hits a search shows at most. */
export const MAX_HITS = 50;

const hitOf = (profileId: string, c: PersonCard): PersonHit => ({
  profileId,
  pdsUserId: c.pdsUserId,
  userid: c.userid,
  name: c.name,
  departments: c.dingtalk?.departments.map((d) => d.name) ?? c.pds.groups,
  status: c.pds.status,
});

/**
 * The people a query names, in these profiles: by PDS user id, DingTalk userid, name (or its
 * beginning) or a phone's last four digits, the exact matches first. Reads the search index
 * and the cards it names, never a run.
 */
export async function searchPeople(
  reader: PeopleReader,
  profileIds: readonly string[],
  query: string,
  limit = MAX_HITS,
): Promise<PersonHit[]> {
  const q = query.trim();
  if (q === '') return [];
  const hits: PersonHit[] = [];
  for (const profileId of profileIds) {
    const ids = new Set<string>();
    const exact = await reader.card(profileId, q);
    if (exact !== undefined) ids.add(exact.pdsUserId);
    for (const prefix of findPrefixes(q)) {
      if (ids.size >= limit) break;
      for (const id of await reader.find(profileId, prefix, limit)) ids.add(id);
    }
    const cards = await reader.cards(profileId, [...ids].slice(0, limit));
    hits.push(...cards.map((c) => hitOf(profileId, c)));
    if (hits.length >= limit) break;
  }
  return hits.slice(0, limit);
}

/** One person's page in a profile (the first of these profiles that knows them). */
export async function personPage(
  reader: PeopleReader,
  profileIds: readonly string[],
  pdsUserId: string,
): Promise<PersonPage | undefined> {
  for (const profileId of profileIds) {
    const card = await reader.card(profileId, pdsUserId);
    if (card === undefined) continue;
    const [events, reentrySince] = await Promise.all([
      reader.events(profileId, pdsUserId),
      card.pds.status === 'disabled'
        ? reader.reentrySince(profileId, card.userid)
        : Promise.resolve(undefined),
    ]);
    return { profileId, card, events, ...(reentrySince === undefined ? {} : { reentrySince }) };
  }
  return undefined;
}

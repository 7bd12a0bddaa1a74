import { MAX_HITS, personPage, searchPeople } from '../people/lookup.js';
import { PeopleReader } from '../people/store.js';
import type { DepartmentTree, PersonHit, PersonPage } from '../people/types.js';
import { StateKeys } from '../state/keys.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { profileOf } from './console-data.js';
import type { WebDeps } from './deps.js';

const readerOf = (deps: WebDeps) => new PeopleReader(deps.redis, new StateKeys(deps.config.redis.prefix));

/** The profiles a people query looks in: the one it names, else all of them. */
const profilesOf = (deps: WebDeps, profileId: string | undefined) =>
  profileId === undefined ? deps.config.profiles.map((p) => p.id) : [profileOf(deps, profileId).id];

export interface PeopleSearch {
  readonly q: string;
  readonly hits: readonly PersonHit[];
  /** More people match than are shown. */
  readonly more: boolean;
}

export async function findPeople(deps: WebDeps, q: string, profileId?: string): Promise<PeopleSearch> {
  const hits = await searchPeople(readerOf(deps), profilesOf(deps, profileId), q, MAX_HITS + 1);
  return { q, hits: hits.slice(0, MAX_HITS), more: hits.length > MAX_HITS };
}

export async function personOf(deps: WebDeps, pdsUserId: string, profileId?: string): Promise<PersonPage> {
  const page = await personPage(readerOf(deps), profilesOf(deps, profileId), pdsUserId);
  if (page === undefined) throw new NotFoundError('person', pdsUserId);
  return page;
}

export async function departmentsOf(deps: WebDeps, profileId: string): Promise<DepartmentTree | null> {
  return (await readerOf(deps).departments(profileOf(deps, profileId).id)) ?? null;
}

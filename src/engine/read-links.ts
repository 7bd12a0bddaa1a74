import { performance } from 'node:perf_hooks';
import { lookupDingOwners } from '../pds-snapshot/adoption.js';
import { readLinks } from '../pds-snapshot/build.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import { linksToRead } from '../plan/links-to-read.js';
import { dingIdentityOf } from '../plan/links.js';
import { isReused } from '../plan/reused.js';
import type { PlanOptions } from '../plan/types.js';
import type { BothSides } from './read-sides.js';
import type { EngineDeps, RunRequest } from './types.js';

export interface TargetComplete {
  /** The PDS side with everything plan() needs: ding owners (adoption) and the links to read. */
  readonly target: TargetSnapshot;
  /** Links read after the walk (the rest were read during it). */
  readonly linksAfterWalk: number;
  readonly ms: number;
}

/**
 * Reads what plan() needs beyond the snapshots, before it runs once: who holds the `ding`
 * identities of people new to the profile (`adoptExisting: ding`), then the links `linksToRead`
 * names that the walk did not read.
 */
export async function readNeededLinks(
  req: RunRequest,
  deps: EngineDeps,
  sides: BothSides,
  o: PlanOptions,
): Promise<TargetComplete> {
  const start = performance.now();
  const { source } = sides;
  let target = sides.target;
  if (o.adoptExisting === 'ding') {
    // people new to the profile, and those whose userid the profile's user had for another person
    const identities = [...source.users.values()]
      .filter((u) => {
        const m = target.managed.get(u.userid);
        return m === undefined || isReused(m, u);
      })
      .map((u) => dingIdentityOf(u, o))
      .filter((x): x is string => x !== undefined);
    target = { ...target, dingOwners: await lookupDingOwners(deps.pds, identities, { signal: deps.signal }) };
  }
  const pending = await deps.snapshots.pendingLinks(req.profile.id);
  const ids = linksToRead(source, target, o, pending, req.deep);
  if (ids.size > 0) {
    const more = await readLinks(deps.pds, ids, { signal: deps.signal });
    target = { ...target, links: new Map([...target.links, ...more]) };
  }
  return { target, linksAfterWalk: ids.size, ms: performance.now() - start };
}

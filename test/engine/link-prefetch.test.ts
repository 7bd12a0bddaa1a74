import { describe, expect, it } from '@jest/globals';
import { LinkPrefetch } from '../../src/engine/link-prefetch.js';
import { SLICE } from '../../src/pacing/slices.js';
import type { LinkInfo, PdsApi } from '../../src/pds/types.js';
import { ALL_FIELDS, buildTarget, managed, options, user } from '../helpers/snapshots.js';

/** Only the link read is used by the prefetch; it answers at once. */
function linkReader(): { pds: PdsApi; asked: string[] } {
  const asked: string[] = [];
  const reader = {
    getLinkInfoByUserId: (id: string): Promise<LinkInfo[]> => {
      asked.push(id);
      return Promise.resolve([]);
    },
  };
  return { pds: reader as unknown as PdsApi, asked };
}

describe('LinkPrefetch', () => {
  it('users listed before the PDS snapshot was complete are all judged before links() answers, however many', async () => {
    const n = 3 * SLICE + 7;
    const ids = Array.from({ length: n }, (_, i) => `u${i}`);
    const { pds, asked } = linkReader();
    const prefetch = new LinkPrefetch(pds, options(), undefined);
    // every one renamed in DingTalk: a sure change, so its links are read during the walk
    for (const id of ids) prefetch.onUser(user(id, { name: `Renamed ${id}` }), 1, ALL_FIELDS);
    prefetch.targetReady(buildTarget({ managed: ids.map((id) => managed(id)) }));
    const links = await prefetch.links();
    expect(links.size).toBe(n);
    expect(new Set(asked)).toEqual(new Set(ids.map((id) => managed(id).pdsUserId)));
  });

  it('a user listed after the PDS snapshot is judged at once, beside the earlier ones', async () => {
    const { pds, asked } = linkReader();
    const prefetch = new LinkPrefetch(pds, options(), undefined);
    prefetch.onUser(user('early', { name: 'Renamed' }), 1, ALL_FIELDS);
    prefetch.targetReady(buildTarget({ managed: [managed('early'), managed('late'), managed('same')] }));
    prefetch.onUser(user('late', { name: 'Renamed' }), 1, ALL_FIELDS);
    prefetch.onUser(user('same'), 1, ALL_FIELDS);
    const links = await prefetch.links();
    expect([...links.keys()].sort()).toEqual(['dt_early', 'dt_late']);
    expect(asked.sort()).toEqual(['dt_early', 'dt_late']);
  });
});

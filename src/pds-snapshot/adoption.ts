import { mapInLane } from '../pacing/lane.js';
import { isNotFound } from '../errors/pds-error.js';
import type { PdsApi } from '../pds/types.js';

/**
 * adoptExisting: ding: who already holds each DingTalk identity's `ding` link (users of the
 * PDS console's own DingTalk sync). One get_link_info per identity; null = nobody.
 */
export async function lookupDingOwners(
  pds: PdsApi,
  identities: Iterable<string>,
  o: { signal?: AbortSignal | undefined; concurrency?: number } = {},
): Promise<Map<string, string | null>> {
  const owners = new Map<string, string | null>();
  await mapInLane(
    new Set(identities),
    { concurrency: o.concurrency ?? 16, signal: o.signal },
    async (identity, signal) => {
      try {
        const info = await pds.getLinkInfo({ type: 'ding', identity }, signal);
        owners.set(identity, info.user_id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        owners.set(identity, null);
      }
    },
  );
  return owners;
}

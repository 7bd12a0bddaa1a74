import pMap from 'p-map';
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
  await pMap(
    new Set(identities),
    async (identity) => {
      try {
        const info = await pds.getLinkInfo({ type: 'ding', identity }, o.signal);
        owners.set(identity, info.user_id);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        owners.set(identity, null);
      }
    },
    { concurrency: o.concurrency ?? 16 },
  );
  return owners;
}

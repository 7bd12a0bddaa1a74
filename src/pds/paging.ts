import { LocalCode, PdsError } from '../errors/pds-error.js';
import { verdict } from './classify.js';

/** Page size of every listing: the maximum PDS allows. */
export const PAGE_LIMIT = 100;

export interface Page<T> {
  readonly page: T;
  readonly nextMarker: string | undefined;
}

/**
 * Walks `marker`/`next_marker` to the end. Only an empty `next_marker` ends the walk: an empty
 * page with a marker is not the end (stopping early would make a snapshot look smaller than it
 * is). A marker that repeats would loop forever, so it is a malformed answer.
 */
export async function* walkPages<T>(
  path: string,
  fetchPage: (marker: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    const { page, nextMarker } = await fetchPage(marker);
    yield page;
    if (nextMarker === undefined || nextMarker === '') return;
    if (seen.has(nextMarker)) {
      throw new PdsError(
        `PDS ${path} returned a next_marker it had already returned: the listing would never end`,
        { path, code: LocalCode.Malformed, ...verdict({ type: 'malformed' }) },
      );
    }
    seen.add(nextMarker);
    marker = nextMarker;
  }
}

/** The listing body: `limit` always, `marker` only after the first page. */
export const pageBody = (marker: string | undefined, extra: Readonly<Record<string, unknown>> = {}) =>
  marker === undefined ? { ...extra, limit: PAGE_LIMIT } : { ...extra, limit: PAGE_LIMIT, marker };

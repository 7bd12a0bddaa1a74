import type { OtherUser } from '../pds-snapshot/snapshot.js';
import { PRIVILEGED } from './out-of-scope.js';

/** Users no profile manages (nor this profile's retired ones), and no admins: an admin's account is never taken over. */
export const eligible = (x: OtherUser): boolean => x.managedBy === undefined && !PRIVILEGED.has(x.role);

/**
 * The PDS users adoption by email or phone may take, by that value, built once per plan. Scanning
 * every unmanaged user for each new person was quadratic: 8,000 × 8,000 took seconds of planning
 * and a first sync into a populated domain of 100,000 blocked the event loop past BullMQ's lock.
 * A lookup reads only the users holding the value, in the snapshot's order (so an ambiguous
 * adoption names its candidates as before).
 */
export class AdoptionIndex {
  readonly #byValue = new Map<string, OtherUser[]>();
  /** Candidates looked at, indexing included: the planner's cost, counted for the tests that bound it. */
  #comparisons = 0;

  constructor(others: Iterable<OtherUser>, by: 'email' | 'phone') {
    for (const x of others) {
      this.#comparisons += 1;
      const value = by === 'email' ? x.email : x.phone;
      if (value === undefined || value === '' || !eligible(x)) continue;
      const bucket = this.#byValue.get(value);
      if (bucket === undefined) this.#byValue.set(value, [x]);
      else bucket.push(x);
    }
  }

  /** The eligible users holding this value. */
  holders(value: string): readonly OtherUser[] {
    const bucket = this.#byValue.get(value) ?? [];
    this.#comparisons += bucket.length;
    return bucket;
  }

  get comparisons(): number {
    return this.#comparisons;
  }
}

import { Lane } from '../pacing/lane.js';
import { forEachInSlices } from '../pacing/slices.js';
import type { LinkInfo, PdsApi } from '../pds/types.js';
import { planContext, type PlanContext } from '../plan/context.js';
import { linksNeededFor } from '../plan/links-to-read.js';
import type { PlanOptions } from '../plan/types.js';
import type { SourceUserListener } from '../source/build-snapshot.js';
import type { SourceFieldAccess, SourceUser } from '../source/snapshot.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';

/**
 * Speculative reads per run at most: a run that changes more users reads the rest after the
 * walk (`linksToRead`), as it would anyway. Also bounds what the walk keeps for the reads.
 * Trades memory during the walk for time after it; safe to change (calls stay the same).
 */
export const PREFETCH_CAP = 5000;

/**
 * Link listings in flight (the shared PDS pacing sets the real rate). More only helps when PDS
 * answers slowly; safe to change.
 */
const CONCURRENCY = 16;

type Sighting = readonly [SourceUser, number, SourceFieldAccess];

/**
 * Reads, while the DingTalk walk is still going, the login links of managed users that plan()
 * will surely change (`linksNeededFor` on one department listing): their links are read anyway,
 * and PDS is idle once its own snapshot is in, so a churn run no longer waits for those reads
 * after the walk. Only reads: nothing is planned or written until both snapshots are complete.
 * A failed read is dropped; `linksToRead` then names the user after the walk like any other
 * (where a failure fails the run).
 */
export class LinkPrefetch {
  readonly #links = new Map<string, readonly LinkInfo[]>();
  readonly #asked = new Set<string>();
  readonly #lane: Lane;
  readonly #reads: Promise<void>[] = [];
  /** Users listed before the PDS snapshot was complete. */
  #early: Sighting[] = [];
  /** Those users being judged, once the PDS snapshot is complete. */
  #judging: Promise<void> = Promise.resolve();
  #target: TargetSnapshot | undefined;
  /** The planner's view, once the PDS snapshot and the fields DingTalk lets the app read are known. */
  #ctx: PlanContext | undefined;

  constructor(
    private readonly pds: PdsApi,
    private readonly o: PlanOptions,
    signal: AbortSignal | undefined,
  ) {
    this.#lane = new Lane(signal, CONCURRENCY);
  }

  /** For the walk (`buildSourceSnapshot`'s `onUser`). */
  readonly onUser: SourceUserListener = (user, listedIn, fields) => {
    if (this.#target === undefined) {
      if (this.#early.length < 20 * PREFETCH_CAP) this.#early.push([user, listedIn, fields]);
      return;
    }
    this.#consider(user, listedIn, fields);
  };

  /** The PDS snapshot is complete: judge the users listed so far, and every later one. */
  targetReady(snapshot: TargetSnapshot): void {
    this.#target = snapshot;
    const early = this.#early;
    this.#early = [];
    // tens of thousands of users at 100,000: judged in slices, so the walk's paced calls go
    // out between them (one loop held the thread ~300 ms)
    this.#judging = forEachInSlices(early, ([user, listedIn, fields]) =>
      this.#consider(user, listedIn, fields),
    );
    // a run that fails before asking for the links must not leave this rejection unhandled;
    // `links()` still rethrows it
    this.#judging.catch(() => undefined);
  }

  /** Waits for the users listed so far to be judged and their reads, and returns the links read. */
  async links(): Promise<ReadonlyMap<string, readonly LinkInfo[]>> {
    await this.#judging;
    await Promise.all(this.#reads);
    this.#lane.close();
    return this.#links;
  }

  #consider(user: SourceUser, listedIn: number, fields: SourceFieldAccess): void {
    if (this.#target === undefined || this.#asked.size >= PREFETCH_CAP) return;
    this.#ctx ??= planContext(this.#target, fields, this.o);
    const id = linksNeededFor(this.#ctx, user, listedIn);
    if (id === undefined || this.#asked.has(id)) return;
    this.#asked.add(id);
    this.#reads.push(
      this.#lane.run(async (signal) => {
        try {
          this.#links.set(id, await this.pds.getLinkInfoByUserId(id, signal));
        } catch {
          // read again after the walk (see the class comment)
        }
      }),
    );
  }
}

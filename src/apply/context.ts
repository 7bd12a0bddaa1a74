import type { Logger } from '../process/logger.js';
import type { PdsApi } from '../pds/types.js';
import type { LinkSpec } from '../plan/types.js';
import type { ApplyOutcome } from './outcome.js';

/**
 * Users whose link work is under way, kept in Redis per profile: a run killed between a
 * user's create and its links leaves the user here, and the next run reads its links.
 */
export interface LinkJournal {
  add(pdsUserIds: readonly string[]): Promise<void>;
  /** May hold the ids back until `flush` (a done mark that is lost costs a link read, no more). */
  done(pdsUserIds: readonly string[]): Promise<void>;
  /** At the apply's end: the held done marks out, and the ids still pending (again) in. */
  flush(): Promise<void>;
}

export const noJournal: LinkJournal = {
  add: () => Promise.resolve(),
  done: () => Promise.resolve(),
  flush: () => Promise.resolve(),
};

export interface ApplyContext {
  readonly pds: PdsApi;
  readonly profileId: string;
  readonly signal: AbortSignal | undefined;
  /** Records in flight at once; the shared PDS pacing sets the real rate. */
  readonly concurrency: number;
  readonly log: Logger;
  readonly journal: LinkJournal;
  readonly outcome: ApplyOutcome;
  /** Counts a disable made, for the rolling disable budget (src/state/disable-ledger.ts). */
  readonly disabled: (pdsUserId: string) => Promise<void>;
  /** Called after each record, for progress. */
  readonly onRecord?: () => void;
  /** Unlinks already made, before any link of the run (`unlinkKey`; apply/link-order.ts). */
  readonly unlinkedFirst?: ReadonlySet<string>;
}

/** One user's unlink of one identity, as `unlinkedFirst` holds it. */
export const unlinkKey = (userId: string, l: Pick<LinkSpec, 'type' | 'identity'>): string =>
  `${userId}\n${l.type}\n${l.identity}`;

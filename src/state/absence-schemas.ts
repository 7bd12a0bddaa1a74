import { z } from 'zod';

/**
 * The shapes of what the state keeps about absent people and the disables the sync made
 * (src/state/absences.ts, disable-ledger.ts), checked when read back. Objects are loose: a field
 * a newer version added is kept.
 */

/** What confirming found of an absent person (src/absence/confirmation.ts), as stored. */
export const ABSENCE_KINDS = ['left', 'out_of_scope', 'moved_out', 'missed', 'unexplained'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];

/** A managed person missing from the walk (a field of `absences`). */
export const absenceSchema = z.looseObject({
  /** When a run first saw them absent (that run's start, ISO). */
  since: z.string(),
  kind: z.enum(ABSENCE_KINDS),
  pdsUserId: z.string(),
  /** Their name as PDS holds it, for the console; never a phone or an email. */
  name: z.string(),
});
export type AbsenceRecord = z.output<typeof absenceSchema>;

/** One disable the sync made (a member of `disables`, scored by its time). */
export const ledgerEntrySchema = z.looseObject({ runId: z.string(), pdsUserId: z.string() });
export type LedgerEntry = z.output<typeof ledgerEntrySchema>;

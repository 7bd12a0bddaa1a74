import { z } from 'zod';
import type { AppliedCounts, RunChange, RunReport } from '../report/types.js';
import { absenceSchema, ledgerEntrySchema, type AbsenceRecord, type LedgerEntry } from './absence-schemas.js';
import type { StoredShape } from './parse-stored.js';
import {
  appliedCountsSchema,
  lastCompleteSchema,
  lastTargetSchema,
  runChangeSchema,
  runReportSchema,
} from './schemas.js';
import { appliedCountsV1, runChangeV1, runReportV1 } from './schemas-v1.js';

/**
 * Every kind of value the state keeps in Redis (src/state/keys.ts), at the schema version it
 * writes, with how each older version reads. A change of a stored shape adds a version here and
 * its conversion to the new shape; no reader ever sees the old one.
 */

/** A value that is one field of a versioned JSON object (an id, a time). */
function oneField(name: string): StoredShape<string> {
  const current = z.looseObject({ [name]: z.string() }).transform((o) => String(o[name]));
  return {
    version: 2,
    read: { 1: z.string(), 2: current },
    fields: (v) => ({ [name]: v }),
    firstAsText: true,
  };
}

const same = <T>(schema: z.ZodType<T>) => ({ 1: schema, 2: schema });
const asFields = (v: object): object => v;

export const STORED = {
  /** A run report (`run:<id>`). Version 2: actions as the union, every message coded. */
  report: {
    version: 2,
    read: { 1: runReportV1, 2: runReportSchema },
    fields: asFields,
  } satisfies StoredShape<RunReport>,
  /** One gzipped chunk of a run's change log. Version 1 was a bare array. */
  changeChunk: {
    version: 2,
    read: {
      1: z.array(runChangeV1),
      2: z.looseObject({ changes: z.array(runChangeSchema) }).transform((c) => c.changes),
    },
    fields: (changes) => ({ changes }),
  } satisfies StoredShape<RunChange[]>,
  /** What an attempt of a run applied, or planned (`run:<id>:attempts`). */
  attempt: {
    version: 2,
    read: { 1: appliedCountsV1, 2: appliedCountsSchema },
    fields: asFields,
  } satisfies StoredShape<AppliedCounts>,
  /** What the last complete read of a scope counted. */
  lastComplete: {
    version: 2,
    read: same(lastCompleteSchema),
    fields: asFields,
  } satisfies StoredShape<z.output<typeof lastCompleteSchema>>,
  /** The PDS domain of a profile's last complete run (first stored with a version: no 1 before). */
  lastTarget: {
    version: 2,
    read: { 2: lastTargetSchema },
    fields: asFields,
  } satisfies StoredShape<z.output<typeof lastTargetSchema>>,
  /** The scope key of a profile's last complete run. */
  lastScope: oneField('scopeKey'),
  /** The run id of a profile's current hold. */
  heldRun: oneField('runId'),
  /** When a run first saw a disabled person back in scope (a field of `reentries`). */
  reentrySince: oneField('since'),
  /** A member of the link journal (`links-pending`): a PDS user whose link work is unfinished. */
  linkJournalEntry: oneField('pdsUserId'),
  /** A managed person missing from the walk (a field of `absences`). */
  absence: { version: 1, read: { 1: absenceSchema }, fields: asFields } satisfies StoredShape<AbsenceRecord>,
  /** A disable the sync made (a member of `disables`, scored by when). */
  ledgerEntry: {
    version: 1,
    read: { 1: ledgerEntrySchema },
    fields: asFields,
  } satisfies StoredShape<LedgerEntry>,
} as const;

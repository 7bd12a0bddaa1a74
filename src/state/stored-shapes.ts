import { z } from 'zod';
import type { SeenDepartment } from '../report/people.js';
import { summaryOf, type HeldEntry, type RunSummary } from '../report/summary.js';
import type { AppliedCounts, Reentry, ReportWarning, RunChange, RunReport } from '../report/types.js';
import { absenceSchema, ledgerEntrySchema, type AbsenceRecord, type LedgerEntry } from './absence-schemas.js';
import type { StoredShape } from './parse-stored.js';
import {
  appliedCountsSchema,
  lastCompleteSchema,
  lastTargetSchema,
  runChangeSchema,
  runReportSchema,
} from './schemas.js';
import {
  chunkDigestSchema,
  heldEntrySchema,
  reentrySchema,
  runSummarySchema,
  seenDepartmentSchema,
  warningsSchema,
  type ChunkDigest,
} from './schemas-parts.js';
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

/**
 * A part of a run stored apart from its summary (layout version 3 of a run): each is version 3
 * from the start, and no earlier version of it exists.
 */
function part<T>(name: string, schema: z.ZodType<T>): StoredShape<T> {
  return {
    version: 3,
    read: { 3: z.looseObject({ [name]: schema }).transform((o) => o[name] as T) },
    fields: (v) => ({ [name]: v }),
  };
}

const changesV2 = z.looseObject({ changes: z.array(runChangeSchema) }).transform((c) => c.changes);

export const STORED = {
  /**
   * A run as `run:<id>` stored it up to version 2: the whole report. Version 2: actions as the
   * union, every message coded. Read only to migrate it (src/state/run-migration.ts).
   */
  report: {
    version: 2,
    read: { 1: runReportV1, 2: runReportSchema },
    fields: asFields,
  } satisfies StoredShape<RunReport>,
  /**
   * A run's summary (`run:<id>`). Version 3: the summary alone, its bulky parts stored apart.
   * An older whole report reads as its summary; its parts are moved apart once, where it is
   * read (src/state/run-migration.ts).
   */
  summary: {
    version: 3,
    read: {
      1: runReportV1.transform(summaryOf),
      2: runReportSchema.transform(summaryOf),
      3: runSummarySchema,
    },
    fields: asFields,
  } satisfies StoredShape<RunSummary>,
  /**
   * One gzipped chunk of a run's change log. Version 1 was a bare array. Version 3: chunks of a
   * fixed size, each counted in the log's index (a version-2 log, whose chunk sizes vary, is
   * re-chunked where it is read); entries may name the person and their departments.
   */
  changeChunk: {
    version: 3,
    read: { 1: z.array(runChangeV1), 2: changesV2, 3: changesV2 },
    fields: (changes) => ({ changes }),
  } satisfies StoredShape<RunChange[]>,
  /** One gzipped chunk of a run's held changes. */
  heldChunk: part<HeldEntry[]>('entries', z.array(heldEntrySchema)),
  /** What one chunk of a chunked list holds, counted (the list's index). */
  chunkDigest: part<ChunkDigest>('digest', chunkDigestSchema),
  /** The departments a run's records name, with their ancestors (gzipped). */
  departments: part<SeenDepartment[]>('departments', z.array(seenDepartmentSchema)),
  /** The people back in scope a run listed (gzipped; the first 1,000). */
  reentries: part<Reentry[]>('reentries', z.array(reentrySchema)),
  /** Every warning of a run (gzipped). */
  warnings: part<ReportWarning[]>('warnings', warningsSchema),
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

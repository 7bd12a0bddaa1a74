import { z } from 'zod';
import type { SeenDepartment } from '../report/people.js';
import type { HeldEntry, HeldSummary, RunSummary } from '../report/summary.js';
import type { Reentry, ReportWarning } from '../report/types.js';
import { coded, count, holdFields, person, reportFields, riskyKind } from './schemas.js';

/**
 * The shapes of a run stored in parts (schema version 3 of `run:<id>`): its summary, and the
 * bulky parts beside it, each read a page at a time. Typed against the TypeScript types they
 * store, like schemas.ts.
 */

const heldSummary: z.ZodType<HeldSummary> = z.looseObject({
  ...holdFields,
  total: count,
  kinds: z.looseObject({ disable: count, clearPhone: count, clearEmail: count }),
  notApproved: count,
});

const {
  changes: _c,
  failures: _f,
  changesTruncated: _ct,
  failuresTruncated: _ft,
  held: _h,
  reentries: _r,
  ...summaryFields
} = reportFields;

export const runSummarySchema: z.ZodType<RunSummary> = z.looseObject({
  ...summaryFields,
  held: heldSummary.optional(),
  warningCount: count,
});

const deptIds = z.array(z.number().int());

export const heldEntrySchema: z.ZodType<HeldEntry> = z.looseObject({
  kind: riskyKind,
  userid: z.string(),
  pdsUserId: z.string(),
  name: z.string().optional(),
  deptIds: deptIds.optional(),
  departments: z.array(z.string()).optional(),
  notApproved: z.literal(true).optional(),
});

/**
 * What one chunk of a chunked list holds, counted: the entries (`n`), how many of each kind
 * (`by`: what a filter by action or kind reads to find its page without the chunks), and which
 * attempt of the run wrote it (`a`, absent in a list made from an older version's report).
 */
export interface ChunkDigest {
  readonly n: number;
  readonly by: Readonly<Record<string, number>>;
  readonly a?: number;
}

export const chunkDigestSchema: z.ZodType<ChunkDigest> = z.looseObject({
  n: count,
  by: z.record(z.string(), count),
  a: count.optional(),
});

export const seenDepartmentSchema: z.ZodType<SeenDepartment> = z
  .looseObject({ id: z.number().int(), name: z.string(), parentId: z.number().int().optional() })
  .transform((d) => ({ id: d.id, name: d.name, parentId: d.parentId }));

export const reentrySchema: z.ZodType<Reentry> = person.extend({
  pdsUserId: z.string(),
  since: z.string(),
});

export const warningsSchema = z.array(coded<ReportWarning>());

import { z } from 'zod';
import type { RiskyKind } from '../gate/breaker.js';
import type { HeldReason } from '../gate/held-reason.js';
import type { Coded } from '../i18n/coded.js';
import type { Problem } from '../errors/problem.js';
import {
  APPLIED_COUNTS,
  zeroCounts,
  type AppliedCounts,
  type FailureKind,
  type RunChange,
  type RunCounts,
  type ReportWarning,
  type RunReport,
} from '../report/types.js';

/**
 * The shapes this service writes to Redis, checked when read back. Each schema is typed against
 * the TypeScript type it stores, so a change of the type that the schema does not follow fails
 * the typecheck. Objects are loose: a field added later with no schema entry is kept, not dropped.
 */

const count = z.number().int().min(0);
/** A field the type declares `T | undefined` (always present): JSON leaves the key out when undefined. */
const maybeString = z
  .string()
  .optional()
  .transform((v) => v);

/** An attempt's applied counts; a count absent from an older record is 0. */
export const appliedCountsSchema: z.ZodType<AppliedCounts> = z.object(
  Object.fromEntries(APPLIED_COUNTS.map((k) => [k, count.default(0)])) as Record<
    keyof AppliedCounts,
    z.ZodDefault<z.ZodNumber>
  >,
);

const runCountsSchema: z.ZodType<RunCounts> = z.looseObject(
  Object.fromEntries(Object.keys(zeroCounts()).map((k) => [k, count])) as Record<
    keyof RunCounts,
    typeof count
  >,
);

/** What the last complete read of a scope counted, the baseline of the pre-flight gate. */
export const lastCompleteSchema = z.looseObject({ users: count, departments: count, at: z.string() });

const failureKinds = [
  'phone_taken',
  'ding_taken',
  'user_id_taken',
  'user_data_too_long',
  'ambiguous_adoption',
  'quota_exhausted',
  'forbidden',
  'invalid_value',
  'remote_unavailable',
  'aborted',
  'remote_error',
] as const satisfies readonly FailureKind[];
const failureKind = z.enum(failureKinds);
const riskyKind = z.enum(['disable', 'clearPhone', 'clearEmail'] as const satisfies readonly RiskyKind[]);

const params = z.record(z.string(), z.union([z.string(), z.number()]));
const codedShape = z.looseObject({ code: z.string(), params });
/**
 * A message stored as data (`{code, params}`). The code is not checked against this version's
 * catalog: a newer worker's code reads as itself (`codedText`'s fallback) rather than failing.
 */
const coded = <T extends Coded>() =>
  z.custom<T>((v) => codedShape.safeParse(v).success, { message: 'expected {code, params}' });

const person = z.looseObject({ userid: z.string(), name: z.string(), departments: z.array(z.string()) });

/** JSON writes an absent value inside an array as null: read back as absent, as the type says. */
const fieldValue = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

export const runChangeSchema: z.ZodType<RunChange> = z.looseObject({
  action: z.string(),
  dingtalkUserId: z.string().optional(),
  pdsUserId: z.string().optional(),
  deptId: z.number().optional(),
  groupId: z.string().optional(),
  fields: z.record(z.string(), z.tuple([fieldValue, fieldValue])).optional(),
  failure: z
    .looseObject({
      code: z.string(),
      kind: failureKind.optional(),
      reason: z.string(),
      params: params.optional(),
    })
    .optional(),
});

/** A run's change-log chunk: the changes it held, in order. */
export const changeChunkSchema = z.array(runChangeSchema);

const heldChange = z.looseObject({
  kind: riskyKind,
  userid: z.string(),
  pdsUserId: z.string(),
  person: person.optional(),
});

export const runReportSchema: z.ZodType<RunReport> = z.looseObject({
  runId: z.string(),
  profileId: z.string(),
  trigger: z.enum(['manual', 'schedule', 'approval']),
  approvedRunId: z.string().optional(),
  configFingerprint: z.string().optional(),
  dryRun: z.boolean(),
  deep: z.boolean(),
  status: z.enum(['succeeded', 'succeeded_with_errors', 'failed', 'held', 'rejected', 'superseded']),
  startedAt: z.string(),
  finishedAt: z.string(),
  source: z.looseObject({ departments: count, users: count }),
  counts: runCountsSchema,
  planned: z.looseObject({ ...appliedShape(), failed: count }).optional(),
  reentries: z.array(person.extend({ pdsUserId: z.string(), since: z.string() })).optional(),
  // plain text in reports stored before warnings and holds had codes
  warnings: z.array(z.union([z.string(), coded<ReportWarning>()])),
  failures: z.array(
    z.looseObject({
      dingtalkUserId: maybeString,
      pdsUserId: maybeString,
      action: z.string(),
      code: z.string(),
      kind: failureKind.optional(),
      reason: z.string(),
      params: params.optional(),
      person: person.optional(),
    }),
  ),
  changes: changeChunkSchema,
  changesTruncated: z.boolean(),
  failuresTruncated: z.boolean().optional(),
  heldReason: z.union([z.string(), coded<HeldReason>()]).optional(),
  held: z
    .looseObject({
      changes: z.array(heldChange),
      notApproved: z.array(heldChange),
      wholeRun: z.boolean(),
      by: z.enum(['preflight', 'breaker']),
      code: z.enum(['source_drop', 'foreign_org', 'scope_changed', 'disable_limit']).optional(),
      resolution: z
        .looseObject({
          action: z.enum(['approved', 'rejected']),
          at: z.string(),
          approvedRunId: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  error: z
    .looseObject({
      code: z.string(),
      message: z.string(),
      problem: coded<Problem>().optional(),
      permanent: z.boolean(),
      unreachable: z.enum(['dingtalk', 'pds']).optional(),
    })
    .optional(),
  apiCalls: z.looseObject({ dingtalk: z.record(z.string(), count), pds: z.record(z.string(), count) }),
  planMs: z.number().optional(),
  timings: z
    .looseObject({
      read: z.number(),
      linksRead: z.number(),
      plan: z.number(),
      apply: z.number(),
      total: z.number(),
    })
    .optional(),
  recovered: z
    .looseObject({ attempt: count, fromAttempts: z.array(count), earlier: appliedCountsSchema })
    .optional(),
  // Reports stored before the walk-time link rule named the second count `afterPlan`.
  linkReads: z
    .looseObject({ duringWalk: count, afterWalk: count.optional(), afterPlan: count.optional() })
    .transform(({ afterPlan, afterWalk, ...rest }) => ({ ...rest, afterWalk: afterWalk ?? afterPlan ?? 0 }))
    .optional(),
  actors: z
    .looseObject({
      startedBy: z.string().optional(),
      approvedBy: z.string().optional(),
      rejectedBy: z.string().optional(),
    })
    .optional(),
});

function appliedShape(): Record<keyof AppliedCounts, typeof count> {
  return Object.fromEntries(APPLIED_COUNTS.map((k) => [k, count])) as Record<
    keyof AppliedCounts,
    typeof count
  >;
}

import { z } from 'zod';
import type { RiskyKind } from '../gate/breaker.js';
import type { HoldCode } from '../gate/held-reason.js';
import type { Coded } from '../i18n/coded.js';
import type { Problem } from '../errors/problem.js';
import {
  APPLIED_COUNTS,
  zeroCounts,
  type AppliedCounts,
  type FailureKind,
  type ReportHeldReason,
  type ReportWarning,
  type RunChange,
  type RunCounts,
  type RunReport,
} from '../report/types.js';
import { changeActionSchema } from './action-schema.js';

/**
 * The current shapes of what this service writes to Redis, checked when read back (the older
 * versions, and how each becomes the current shape: schemas-v1.ts; which version each kind of
 * value is at: stored-shapes.ts). Each schema is typed against the TypeScript type it stores, so
 * a change of the type that the schema does not follow fails the typecheck. Objects are loose:
 * a field a newer version added is kept, not dropped.
 */

export const count = z.number().int().min(0);
/** A field the type declares `T | undefined` (always present): JSON leaves the key out when undefined. */
export const maybeString = z
  .string()
  .optional()
  .transform((v) => v);

/** The schema of counts keyed by `keys`, each made by `of`. */
export function countsOf<K extends string, S extends z.ZodType>(
  keys: readonly K[],
  of: () => S,
): Record<K, S> {
  return Object.fromEntries(keys.map((k) => [k, of()])) as Record<K, S>;
}

/** An attempt's applied counts. */
export const appliedCountsSchema: z.ZodType<AppliedCounts> = z.looseObject(
  countsOf(APPLIED_COUNTS, () => count),
);

export const RUN_COUNT_KEYS = Object.keys(zeroCounts()) as (keyof RunCounts)[];
const runCountsSchema: z.ZodType<RunCounts> = z.looseObject(countsOf(RUN_COUNT_KEYS, () => count));

/** What the last complete read of a scope counted, the baseline of the pre-flight gate. */
export const lastCompleteSchema = z.looseObject({ users: count, departments: count, at: z.string() });

/** The PDS domain a profile's last complete run wrote to: the token's `domain_id`, the base URL. */
export const lastTargetSchema = z.looseObject({ domainId: z.string(), baseUrl: z.string(), at: z.string() });

const failureKinds = [
  'phone_taken',
  'ding_taken',
  'user_id_taken',
  'user_data_too_long',
  'ambiguous_adoption',
  'identity_reused',
  'adoption_unverified',
  'quota_exhausted',
  'forbidden',
  'invalid_value',
  'remote_unavailable',
  'aborted',
  'remote_error',
] as const satisfies readonly FailureKind[];
export const failureKind = z.enum(failureKinds);
export const riskyKind = z.enum([
  'disable',
  'clearPhone',
  'clearEmail',
] as const satisfies readonly RiskyKind[]);

export const params = z.record(z.string(), z.union([z.string(), z.number()]));
const codedShape = z.looseObject({ code: z.string(), params });
/**
 * A message stored as data (`{code, params}`). The code is not checked against this version's
 * catalog: a newer worker's code reads as itself (`codedText`'s fallback) rather than failing.
 */
export const coded = <T extends Coded>() =>
  z.custom<T>((v) => codedShape.safeParse(v).success, { message: 'expected {code, params}' });

export const person = z.looseObject({
  userid: z.string(),
  name: z.string(),
  departments: z.array(z.string()),
  deptIds: z.array(z.number().int()).optional(),
});

/** JSON writes an absent value inside an array as null: read back as absent, as the type says. */
const fieldValue = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
export const fieldChanges = z.record(z.string(), z.tuple([fieldValue, fieldValue]));

const failureFields = { code: z.string(), kind: failureKind, reason: z.string(), params };

export const runChangeSchema: z.ZodType<RunChange> = z.looseObject({
  action: changeActionSchema,
  dingtalkUserId: z.string().optional(),
  pdsUserId: z.string().optional(),
  groupId: z.string().optional(),
  fields: fieldChanges.optional(),
  failure: z.looseObject(failureFields).optional(),
  at: z.string().optional(),
  name: z.string().optional(),
  deptIds: z.array(z.number().int()).optional(),
  departments: z.array(z.string()).optional(),
});

const heldChange = z.looseObject({
  kind: riskyKind,
  userid: z.string(),
  pdsUserId: z.string(),
  person: person.optional(),
});

/** Why a run was held (`HoldCode`): the report's hold and the summary's read it. */
export const holdCode = z.enum([
  'target_changed',
  'populated_domain',
  'source_drop',
  'foreign_org',
  'scope_changed',
  'disable_limit',
  'quota',
  'disable_budget',
] as const satisfies readonly HoldCode[]);

/** What every stored hold says of itself, whole (version 2) or as a summary (version 3). */
export const holdFields = {
  wholeRun: z.boolean(),
  by: z.enum(['preflight', 'breaker']),
  code: holdCode.optional(),
  resolution: z
    .looseObject({
      action: z.enum(['approved', 'rejected']),
      at: z.string(),
      approvedRunId: z.string().optional(),
    })
    .optional(),
};

/** The fields of a run report; version 1 overrides the few it stored otherwise (schemas-v1.ts). */
export const reportFields = {
  runId: z.string(),
  attempt: count.optional(),
  profileId: z.string(),
  trigger: z.enum(['manual', 'schedule', 'approval', 'grace']),
  approvedRunId: z.string().optional(),
  configFingerprint: z.string().optional(),
  dryRun: z.boolean(),
  deep: z.boolean(),
  status: z.enum(['succeeded', 'succeeded_with_errors', 'failed', 'held', 'rejected', 'superseded']),
  startedAt: z.string(),
  finishedAt: z.string(),
  source: z.looseObject({ departments: count, users: count }),
  counts: runCountsSchema,
  planned: z.looseObject({ ...countsOf(APPLIED_COUNTS, () => count), failed: count }).optional(),
  reentries: z.array(person.extend({ pdsUserId: z.string(), since: z.string() })).optional(),
  grace: z.array(person.extend({ pdsUserId: z.string(), since: z.string(), until: z.string() })).optional(),
  warnings: z.array(coded<ReportWarning>()),
  failures: z.array(
    z.looseObject({
      dingtalkUserId: maybeString,
      pdsUserId: maybeString,
      action: changeActionSchema,
      ...failureFields,
      person: person.optional(),
    }),
  ),
  changes: z.array(runChangeSchema),
  changesTruncated: z.boolean(),
  failuresTruncated: z.boolean().optional(),
  heldReason: coded<ReportHeldReason>().optional(),
  held: z
    .looseObject({
      changes: z.array(heldChange),
      notApproved: z.array(heldChange),
      ...holdFields,
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
  linkReads: z.looseObject({ duringWalk: count, afterWalk: count }).optional(),
  actors: z
    .looseObject({
      startedBy: z.string().optional(),
      approvedBy: z.string().optional(),
      rejectedBy: z.string().optional(),
    })
    .optional(),
};

export const runReportSchema: z.ZodType<RunReport> = z.looseObject(reportFields);

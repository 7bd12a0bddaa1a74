import { z } from 'zod';
import { codeMatches } from '../errors/remote-error.js';
import type { AdoptedBy, ChangeAction } from '../plan/change-action.js';
import {
  APPLIED_COUNTS,
  type AppliedCounts,
  type ReportHeldReason,
  type ReportWarning,
  type Reentry,
  type RunChange,
  type RunFailure,
  type RunReport,
  type StoredText,
} from '../report/types.js';
import { ADOPTED_BY } from './action-schema.js';
import {
  coded,
  count,
  countsOf,
  failureKind,
  fieldChanges,
  maybeString,
  params,
  person,
  reportFields,
  RUN_COUNT_KEYS,
} from './schemas.js';

/**
 * Schema version 1: every value stored before values carried a version, and how each becomes
 * the current shape. A report of version 1 may be of any generation since the first: plain-text
 * warnings and held reasons, failures with no kind, action strings (`adopt(email)`), counts added
 * later absent, `linkReads.afterPlan`, and re-entries listed as `reentered`. Converted here, once,
 * so no other code reads them.
 */

/** Counts added after the first reports: absent from an older one, they are 0. */
const defaultedCounts = <K extends string>(keys: readonly K[]) => countsOf(keys, () => count.default(0));

export const appliedCountsV1: z.ZodType<AppliedCounts> = z.looseObject(defaultedCounts(APPLIED_COUNTS));

const storedText = (text: string): StoredText => ({ code: 'stored_text', params: { text } });
const textOr = <T>(c: z.ZodType<T>) => z.union([z.string().transform(storedText), c]);

/** What a version-1 record said beside its action string: where the ids now in the action were. */
interface V1ActionRecord {
  readonly action: string;
  readonly deptId?: number | undefined;
  readonly groupId?: string | undefined;
  readonly fields?: Readonly<Record<string, readonly [string | undefined, string | undefined]>> | undefined;
  /** A failure's English reason: version 1 named a failed group's department only there. */
  readonly reason?: string | undefined;
}

const isAdoptedBy = (s: string | undefined): s is AdoptedBy => ADOPTED_BY.some((b) => b === s);

/** A version-1 action string as the union, or undefined when it names no action this code knows. */
function actionFromV1(r: V1ActionRecord): ChangeAction | undefined {
  const m = /^(\w+)(?:\((\w*)\))?$/.exec(r.action);
  const newName = r.fields?.group_name?.[1] ?? '';
  const type = m?.[1] ?? '';
  switch (type) {
    case 'create':
    case 'update':
    case 'restore':
    case 'leaveGroups':
      return { type };
    // version 1 wrote one reason for every disable
    case 'disable':
      return { type, reason: 'out_of_scope' };
    case 'adopt': {
      // a failed adoption said only `adopt`; an ambiguous one named its field in English
      const by = m?.[2] ?? /have this (email|phone)\b/.exec(r.reason ?? '')?.[1];
      return { type: 'adopt', by: isAdoptedBy(by) ? by : 'unknown' };
    }
    case 'createGroup': {
      const deptId = r.deptId ?? Number(/\bdepartment (\d+)/.exec(r.reason ?? '')?.[1]);
      return Number.isInteger(deptId) ? { type: 'createGroup', deptId, name: newName } : undefined;
    }
    case 'renameGroup': {
      const groupId = r.groupId ?? /\brename group (\S+?):/.exec(r.reason ?? '')?.[1];
      return groupId === undefined ? undefined : { type: 'renameGroup', groupId, name: newName };
    }
    default:
      return undefined;
  }
}

function v1Action(r: V1ActionRecord, ctx: z.RefinementCtx): ChangeAction {
  const action = actionFromV1(r);
  if (action !== undefined) return action;
  ctx.addIssue({ code: 'custom', path: ['action'], message: 'names no action this version knows' });
  return z.NEVER;
}

const v1FailureFields = {
  code: z.string(),
  kind: failureKind.optional(),
  reason: z.string(),
  params: params.optional(),
};

/**
 * The kind an older version gave a failed record's remote code, when it stored none. Only for
 * values stored then: today the kind is set once, from the error (report/failure-kind.ts).
 */
function legacyFailureKind(code: string): RunFailure['kind'] {
  const is = (prefix: string) => codeMatches(code, prefix);
  if (code === 'UserIdTaken' || is('AlreadyExist.User')) return 'user_id_taken';
  if (code === 'UserDataTooLong') return 'user_data_too_long';
  if (code === 'AmbiguousAdoption') return 'ambiguous_adoption';
  if (is('QuotaExhausted')) return 'quota_exhausted';
  if (is('Forbidden') || is('AccessDenied')) return 'forbidden';
  if (is('InvalidParameter') || is('Invalid') || is('MissingParameter')) return 'invalid_value';
  if (is('Throttling') || is('ServiceUnavailable') || is('InternalError') || code === 'Timeout')
    return 'remote_unavailable';
  if (code === 'Aborted') return 'aborted';
  return 'remote_error';
}

/** A failure stored before reasons had kinds or params: its kind from its code, its English as `detail`. */
const codedFailure = (f: {
  code: string;
  kind?: RunFailure['kind'] | undefined;
  reason: string;
  params?: RunFailure['params'] | undefined;
}) => ({
  kind: f.kind ?? legacyFailureKind(f.code),
  params: f.params ?? { detail: f.reason },
});

export const runChangeV1: z.ZodType<RunChange> = z
  .looseObject({
    action: z.string(),
    dingtalkUserId: z.string().optional(),
    pdsUserId: z.string().optional(),
    deptId: z.number().optional(),
    groupId: z.string().optional(),
    fields: fieldChanges.optional(),
    failure: z.looseObject(v1FailureFields).optional(),
  })
  .transform(({ deptId, failure, ...c }, ctx) => ({
    ...c,
    action: v1Action({ ...c, deptId, reason: failure?.reason }, ctx),
    ...(failure === undefined ? {} : { failure: { ...failure, ...codedFailure(failure) } }),
  }));

const failureV1 = z
  .looseObject({
    dingtalkUserId: maybeString,
    pdsUserId: maybeString,
    action: z.string(),
    ...v1FailureFields,
    person: person.optional(),
  })
  .transform((f, ctx) => ({ ...f, action: v1Action(f, ctx), ...codedFailure(f) }));

/** Re-entries as the console once read them (`reentered`, with `at` or `reenteredAt`). */
const reenteredV1 = z.array(
  z
    .looseObject({
      userid: z.string().optional(),
      dingtalkUserId: z.string().optional(),
      name: z.string().optional(),
      pdsUserId: z.string().optional(),
      departments: z.array(z.string()).optional(),
      since: z.string().optional(),
      at: z.string().optional(),
      reenteredAt: z.string().optional(),
    })
    .transform((p): Reentry => ({
      userid: p.userid ?? p.dingtalkUserId ?? '',
      name: p.name ?? '',
      departments: p.departments ?? [],
      pdsUserId: p.pdsUserId ?? '',
      since: p.since ?? p.at ?? p.reenteredAt ?? '',
    })),
);

export const runReportV1: z.ZodType<RunReport> = z
  .looseObject({
    ...reportFields,
    counts: z.looseObject(defaultedCounts(RUN_COUNT_KEYS)),
    planned: z.looseObject({ ...defaultedCounts(APPLIED_COUNTS), failed: count.default(0) }).optional(),
    reentered: reenteredV1.optional(),
    warnings: z.array(textOr(coded<ReportWarning>())),
    heldReason: textOr(coded<ReportHeldReason>()).optional(),
    failures: z.array(failureV1),
    changes: z.array(runChangeV1),
    recovered: z
      .looseObject({ attempt: count, fromAttempts: z.array(count), earlier: appliedCountsV1 })
      .optional(),
    // named `afterPlan` before the walk-time link rule
    linkReads: z
      .looseObject({ duringWalk: count, afterWalk: count.optional(), afterPlan: count.optional() })
      .transform(({ afterPlan, afterWalk, ...rest }) => ({ ...rest, afterWalk: afterWalk ?? afterPlan ?? 0 }))
      .optional(),
  })
  .transform(({ reentered, reentries, ...r }) => {
    const back = reentries ?? reentered;
    return back === undefined ? r : { ...r, reentries: back };
  });

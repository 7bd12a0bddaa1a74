import { z } from 'zod';
import { PROFILE_STATES, type ProfileState } from '../../status/profile-states.js';

const RUN_STATUSES = [
  'succeeded',
  'succeeded_with_errors',
  'failed',
  'held',
  'rejected',
  'superseded',
] as const;

export const profileParams = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'not a profile id'),
});
/** Run and check ids are BullMQ job ids (digits, or a custom id without ':'). */
export const runParams = z.strictObject({
  runId: z.string().regex(/^[A-Za-z0-9_.+-]{1,100}$/, 'not a run id'),
});
export const checkParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.+-]{1,100}$/, 'not a check id'),
});

export const syncBody = z
  .strictObject({ dryRun: z.boolean().optional(), deep: z.boolean().optional() })
  .nullish()
  .transform((b) => ({ dryRun: b?.dryRun ?? false, deep: b?.deep ?? false }));

export const emptyBody = z.strictObject({}).nullish();

const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const runsQuery = z.strictObject({
  ...paging,
  /** One status or a comma-separated list. */
  status: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s === '' ? [] : s.split(',')))
    .pipe(z.array(z.enum(RUN_STATUSES))),
});

/** The console's profile list: one page of the profiles in the given states (all when absent). */
export const profilesQuery = z.strictObject({
  ...paging,
  /** One state or a comma-separated list (`running`, `held`, `failed`, `never`, …). */
  status: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s === '' ? [] : s.split(',')))
    .pipe(z.array(z.enum(PROFILE_STATES as [ProfileState, ...ProfileState[]]))),
});

const profileId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'not a profile id');

/** `/people?q=`: the query, and the profile to look in (all of them without it). */
export const peopleQuery = z.strictObject({
  q: z.string().max(200).optional(),
  profile: profileId.optional(),
});
export const personParams = z.strictObject({ pdsUserId: z.string().min(1).max(200) });
export const personQuery = z.strictObject({ profile: profileId.optional() });

/** A run's list (`/api/runs/:runId/changes`, `/held`, `/failures`): paged, filtered, or CSV. */
export const listQuery = z.strictObject({
  page: paging.page,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional(),
  action: z
    .string()
    .regex(/^[A-Za-z]{0,40}$/, 'not an action')
    .optional(),
  department: z.string().max(200).optional(),
  /** Held changes: only those the approval did not cover. */
  notApproved: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  format: z.enum(['json', 'csv']).default('json'),
});

export type ListQueryParams = z.output<typeof listQuery>;

/** The run page: which of its lists, and that list's page and filter. */
export const runPageQuery = listQuery
  .omit({ format: true })
  .extend({ list: z.enum(['changes', 'held', 'failures']).optional() });

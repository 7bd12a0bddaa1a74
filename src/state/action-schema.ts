import { z } from 'zod';
import type { AdoptedBy, ChangeAction } from '../plan/change-action.js';
import { PLANNED_DISABLE_REASONS } from '../plan/disable-reason.js';

export const ADOPTED_BY = ['ding', 'email', 'phone'] as const satisfies readonly AdoptedBy[];

/**
 * The one change-action union (src/plan/change-action.ts) as a schema. Strict: an action is a
 * closed value, so a field no member declares is refused rather than kept. test/types/
 * change-action.ts fails the typecheck when this and the type say different things.
 */
export const changeActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('create') }),
  z.strictObject({ type: z.literal('update') }),
  z.strictObject({ type: z.literal('adopt'), by: z.enum([...ADOPTED_BY, 'unknown']) }),
  z.strictObject({ type: z.literal('restore') }),
  // a disable stored before disables carried a reason (report and change-log schema version 2)
  // was always `out_of_scope`, the one code those versions wrote: read it as that
  z.strictObject({
    type: z.literal('disable'),
    reason: z.enum(PLANNED_DISABLE_REASONS).default('out_of_scope'),
    leaveReason: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('retire') }),
  z.strictObject({ type: z.literal('leaveGroups') }),
  z.strictObject({ type: z.literal('createGroup'), deptId: z.number().int(), name: z.string() }),
  z.strictObject({ type: z.literal('renameGroup'), groupId: z.string(), name: z.string() }),
]) satisfies z.ZodType<ChangeAction>;

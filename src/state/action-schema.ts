import { z } from 'zod';
import type { AdoptedBy, ChangeAction } from '../plan/change-action.js';

const ADOPTED_BY = ['ding', 'email', 'phone'] as const satisfies readonly AdoptedBy[];

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
  z.strictObject({ type: z.literal('disable') }),
  z.strictObject({ type: z.literal('leaveGroups') }),
  z.strictObject({ type: z.literal('createGroup'), deptId: z.number().int(), name: z.string() }),
  z.strictObject({ type: z.literal('renameGroup'), groupId: z.string(), name: z.string() }),
]) satisfies z.ZodType<ChangeAction>;

/** What a record of schema version 1 said beside its action string, where the ids now in the action were. */
export interface V1ActionRecord {
  readonly action: string;
  readonly deptId?: number | undefined;
  readonly groupId?: string | undefined;
  readonly fields?: Readonly<Record<string, readonly [string | undefined, string | undefined]>> | undefined;
  /** A failure's English reason: version 1 named a failed group's department only there. */
  readonly reason?: string | undefined;
}

const isAdoptedBy = (s: string | undefined): s is AdoptedBy => ADOPTED_BY.some((b) => b === s);

/**
 * A version-1 action string (`create`, `adopt(email)`, `createGroup` with the department beside
 * it, …) as the union, or undefined when it names no action this code knows.
 */
export function actionFromV1(r: V1ActionRecord): ChangeAction | undefined {
  const m = /^(\w+)(?:\((\w*)\))?$/.exec(r.action);
  const newName = r.fields?.group_name?.[1] ?? '';
  const type = m?.[1] ?? '';
  switch (type) {
    case 'create':
    case 'update':
    case 'restore':
    case 'disable':
    case 'leaveGroups':
      return { type };
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

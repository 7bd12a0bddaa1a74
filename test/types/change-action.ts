/**
 * A type-level test, compiled by the typecheck (`tsc -p tsconfig.json`), never run: a change or
 * a failure says what it did with the one action union, never a string, and the union's zod
 * schema reads exactly the union. Each `@ts-expect-error` fails the typecheck the day its line
 * compiles, i.e. the day an action can be written outside the union.
 */
import type { z } from 'zod';
import type { ChangeAction } from '../../src/plan/change-action.js';
import type { PlannedFailure } from '../../src/plan/types.js';
import type { RunChange, RunFailure } from '../../src/report/types.js';
import type { changeActionSchema } from '../../src/state/action-schema.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export type SchemaReadsTheUnion = Holds<Same<z.output<typeof changeActionSchema>, ChangeAction>>;
export type ChangesCarryTheUnion = Holds<Same<RunChange['action'], ChangeAction>>;
export type FailuresCarryTheUnion = Holds<Same<RunFailure['action'], ChangeAction>>;
export type PlannedFailuresCarryTheUnion = Holds<Same<PlannedFailure['action'], ChangeAction>>;

// @ts-expect-error a change's action is not a string
export const stringChange: RunChange = { action: 'create' };
// @ts-expect-error a failure's action is not a string either (`adopt(email)` is gone)
export const stringFailure: RunFailure['action'] = 'adopt(email)';
// @ts-expect-error an adoption says how the user was matched
export const adoptWithoutBy: ChangeAction = { type: 'adopt' };
// @ts-expect-error an adoption matches by ding, email or phone only
export const adoptByName: ChangeAction = { type: 'adopt', by: 'name' };
// @ts-expect-error a group create names its department
export const groupWithoutDepartment: ChangeAction = { type: 'createGroup', name: 'Sales' };
// @ts-expect-error no action outside the union (the sync never deletes)
export const deleteAction: ChangeAction = { type: 'delete' };

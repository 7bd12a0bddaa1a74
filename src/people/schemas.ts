import { z } from 'zod';
import { changeActionSchema } from '../state/action-schema.js';
import type { StoredShape } from '../state/parse-stored.js';
import { fieldChanges, failureKind, params } from '../state/schemas.js';
import type { DepartmentTree, PersonCard, PersonEvent } from './types.js';

/** The stored shapes of the per-person index (src/state/stored-shapes.ts has the others). */

const access = z.enum(['authorised', 'not_authorised']);
const opt = z.string().optional();

const cardSchema = z.looseObject({
  pdsUserId: z.string(),
  userid: z.string(),
  name: z.string(),
  runId: z.string(),
  at: z.string(),
  dingtalk: z
    .looseObject({
      name: z.string(),
      departments: z.array(z.looseObject({ id: z.number(), name: z.string() })),
      mobile: opt,
      email: opt,
      orgEmail: opt,
      access: z.looseObject({ mobile: access, email: access, orgEmail: access }),
    })
    .optional(),
  pds: z.looseObject({
    exists: z.boolean(),
    status: z.enum(['enabled', 'disabled']).optional(),
    nickName: opt,
    groups: z.array(z.string()),
    links: z.array(z.looseObject({ type: z.string(), identity: z.string() })).optional(),
    disabledBy: opt,
    disabledAt: opt,
    disabledReason: opt,
  }),
}) satisfies z.ZodType<PersonCard>;

const eventSchema = z.looseObject({
  runId: z.string(),
  at: z.string(),
  action: changeActionSchema,
  fields: fieldChanges.optional(),
  failure: z.looseObject({ code: z.string(), kind: failureKind, reason: z.string(), params }).optional(),
}) satisfies z.ZodType<PersonEvent>;

const treeSchema = z.looseObject({
  runId: z.string(),
  at: z.string(),
  roots: z.array(z.number()),
  departments: z.array(
    z.looseObject({
      id: z.number(),
      name: z.string(),
      parentId: z.number().optional(),
      members: z.number(),
      inScope: z.boolean(),
    }),
  ),
}) satisfies z.ZodType<DepartmentTree>;

export const STORED_PEOPLE = {
  /** A field of `people:<profile>:cards`. */
  card: { version: 1, read: { 1: cardSchema }, fields: (c) => c } satisfies StoredShape<PersonCard>,
  /** A field of `people:<profile>:history`: a person's changes, oldest first. */
  events: {
    version: 1,
    read: { 1: z.looseObject({ events: z.array(eventSchema) }).transform((v) => v.events) },
    fields: (events) => ({ events }),
  } satisfies StoredShape<PersonEvent[]>,
  /** `people:<profile>:departments`. */
  departments: {
    version: 1,
    read: { 1: treeSchema },
    fields: (d) => d,
  } satisfies StoredShape<DepartmentTree>,
} as const;

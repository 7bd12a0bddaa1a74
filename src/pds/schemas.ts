import { z } from 'zod';

/**
 * Response schemas. Tolerant where the reference leaves room (null for absent, extra fields
 * dropped), strict on what the sync relies on (ids, status, paging markers).
 */

/** An optional field that PDS may send as null or leave out: both become undefined. */
const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/**
 * Timestamps are epoch milliseconds in 2022-03-01; the previous API generation sent ISO strings.
 * Tolerant reading: accept both, and numeric strings (int64 fields are sometimes quoted).
 */
const timestamp = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(n)) {
    ctx.addIssue({ code: 'custom', message: 'not a timestamp' });
    return z.NEVER;
  }
  return n;
});

export const userSchema = z.object({
  domain_id: opt(z.string()),
  user_id: z.string().min(1),
  user_name: opt(z.string()),
  nick_name: opt(z.string()),
  phone: opt(z.string()),
  email: opt(z.string()),
  role: opt(z.string()),
  status: opt(z.enum(['enabled', 'disabled'])),
  description: opt(z.string()),
  user_data: opt(z.record(z.string(), z.string())),
  created_at: opt(timestamp),
  updated_at: opt(timestamp),
});

export const groupSchema = z.object({
  domain_id: opt(z.string()),
  group_id: z.string().min(1),
  group_name: z.string(),
  description: opt(z.string()),
  created_at: opt(timestamp),
  updated_at: opt(timestamp),
});

/** An empty or absent `next_marker` ends a listing. */
const nextMarker = opt(z.string());

export const userPageSchema = z.object({ items: z.array(userSchema), next_marker: nextMarker });
export const groupPageSchema = z.object({ items: z.array(groupSchema), next_marker: nextMarker });

/** Only the ids are used; the items may be full User/Group objects or stubs. */
export const memberPageSchema = z.object({
  user_items: opt(z.array(z.object({ user_id: z.string().min(1) }))),
  group_items: opt(z.array(z.object({ group_id: z.string().min(1) }))),
  next_marker: nextMarker,
});

export const linkInfoSchema = z.object({
  authentication_type: z.string(),
  identity: z.string(),
  extra: opt(z.string()),
  user_id: z.string().min(1),
  domain_id: opt(z.string()),
  display_name: opt(z.string()),
  status: opt(z.string()),
  created_at: opt(timestamp),
});

export const linkInfoListSchema = z.object({ items: z.array(linkInfoSchema) });

/** `{}` for add/remove member, link, unlink (any object is accepted, nothing is read). */
export const emptySchema = z.object({});

/** `expires_in` may arrive quoted (tolerant reading). */
const seconds = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .pipe(z.number().positive());

export const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: seconds,
  token_type: opt(z.string()),
  expire_time: opt(z.string()),
  domain_id: opt(z.string()),
  role: opt(z.string()),
  status: opt(z.string()),
});

export type TokenResponse = z.output<typeof tokenSchema>;

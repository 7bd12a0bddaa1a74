import { z } from 'zod';

/**
 * Wire shapes of the DingTalk answers we read (reference §1–§6). Only the fields the sync uses
 * are kept (zod strips the rest), so no raw response outlives its page. Every user field but
 * `userid` and `name` is optional: a missing field permission or an empty value drops it.
 */

/**
 * The field tables give `errcode` as a Number; the documentation's examples print it as a
 * string. Unconfirmed which one a live server sends on every path: accept both (tolerant).
 */
const code = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const optionalText = z.union([z.string(), z.number().transform(String)]).optional();

/** Legacy (oapi) envelope: HTTP 200 even on errors; `errcode 88` carries the cause in `sub_code`. */
export const oapiEnvelopeSchema = z.object({
  errcode: code,
  errmsg: z.string().optional(),
  sub_code: optionalText,
  sub_msg: z.string().optional(),
  request_id: z.string().optional(),
});

/** New-API (api.dingtalk.com) error body: HTTP 4xx/5xx. */
export const apiErrorSchema = z.object({
  code: z.string(),
  message: z.string().optional(),
  requestid: z.string().optional(),
  accessdenieddetail: z.object({ requiredScopes: z.array(z.string()).optional() }).optional(),
});

export const legacyTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

export const v1TokenSchema = z.object({
  accessToken: z.string().min(1),
  expireIn: z.number().int().positive(),
});

const deptId = z.number().int();

export const departmentSchema = z.object({
  dept_id: deptId,
  name: z.string(),
  /** Absent on the root (1). */
  parent_id: deptId.optional(),
});

export const listSubResultSchema = z.array(departmentSchema);

/** Userids stay strings: they can be digits with leading zeros and 17+ digits. */
export const userSchema = z.object({
  userid: z.string().min(1),
  name: z.string(),
  unionid: z.string().optional(),
  mobile: z.string().optional(),
  state_code: z.string().optional(),
  email: z.string().optional(),
  org_email: z.string().optional(),
  dept_id_list: z.array(deptId).optional(),
});

export const userListResultSchema = z
  .object({
    has_more: z.boolean(),
    next_cursor: z.number().int().nonnegative().optional(),
    // Unconfirmed whether an empty department sends `list: []` or no `list`: absent is read as
    // empty only on the last page (has_more false); a page that promises more must carry it.
    list: z.array(userSchema).optional(),
  })
  .refine((r) => !r.has_more || (r.list !== undefined && r.next_cursor !== undefined), {
    message: 'has_more is true but list or next_cursor is missing',
  });

export const userCountResultSchema = z.object({ count: z.number().int().nonnegative() });

/** `GET /auth/scopes`: top-level fields, no `result`. */
export const authScopesSchema = z.object({
  auth_user_field: z.array(z.string()).default([]),
  auth_org_scopes: z.object({
    authed_dept: z.array(deptId).default([]),
    authed_user: z.array(z.string()).default([]),
  }),
});

/**
 * `GET /v1.0/contact/empLeaveRecords` (api.dingtalk.com): one page of leave records. Only who
 * left, when and why are kept: the records' `mobile`, `stateCode` and `name` are stripped here,
 * so a phone in them is never held, logged or stored.
 */
export const leaveRecordsPageSchema = z.object({
  nextToken: z.string().optional(),
  records: z
    .array(
      z.object({
        userId: z.string().min(1),
        leaveTime: z.string().optional(),
        leaveReason: z.string().optional(),
      }),
    )
    .default([]),
});

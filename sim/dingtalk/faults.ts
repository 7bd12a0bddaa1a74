import { z } from 'zod';
import { burstSchema, type Burst } from './burst.js';
import { ipBanSchema, type IpBan } from './ip-ban.js';
import { monthlyQuotaSchema, type MonthlyQuota } from './monthly-quota.js';

/** One person left out of the user listing of one department (or of every one they are in). */
export interface DroppedListing {
  readonly userid: string;
  readonly deptId?: number | undefined;
}

export const MALFORMED_KINDS = ['not_json', 'not_envelope', 'wrong_shape'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/**
 * Faults of the DingTalk simulator, switchable at run time (`POST /_sim/faults` merges a
 * partial object; `GET /_sim/faults` returns the whole). Defaults: no fault.
 */
export interface DingTalkFaults {
  /** Per-API limit over any sliding second, answered `errcode 88` + `sub_code "90018"` (new APIs: 403). null: none. */
  readonly qps: number | null;
  /** Per-path overrides of `qps`, e.g. `{"/topapi/v2/user/list": 5}`. */
  readonly qpsByPath: Readonly<Record<string, number>>;
  /** API permissions the app lacks, e.g. `qyapi_get_department_list`: their APIs answer 60011. */
  readonly missingApiPermissions: readonly string[];
  /** 60011 as `88` + `sub_code` (the newer form) or plain `errcode 60011` (the older). */
  readonly permissionErrorForm: 'sub_code' | 'plain';
  /**
   * Field permissions the app lacks: `phone` drops mobile and state_code; `personal` drops email,
   * org_email, work_place, remark and extension. Dropped from payloads AND from auth_user_field.
   */
  readonly missingFieldPermissions: readonly ('phone' | 'personal')[];
  /** Partial scope: `authed_dept` (outside it, 50004/50002). null: the whole organisation (`[1]`). */
  readonly authedDept: readonly number[] | null;
  /** Users authorised one by one (`authed_user`). */
  readonly authedUser: readonly string[];
  /** Lifetime of a new token. @defaultValue 7200 */
  readonly tokenTtlSeconds: number;
  /** A bad or expired token: plain 40014/42001, or `88` + `sub_code "40014"`. */
  readonly tokenErrorForm: 'plain' | 'sub_code';
  /** Share (0–1) of oapi calls answered `errcode -1`. */
  readonly busyRate: number;
  /** Share (0–1) of calls answered HTTP 503 (an HTML gateway page). */
  readonly serverErrorRate: number;
  /** Added to every answer. */
  readonly latencyMs: number;
  /** Limits busyRate, serverErrorRate and latencyMs to these paths; empty: every API path. */
  readonly faultPaths: readonly string[];
  /** Paths answered HTTP 200 with a malformed body. */
  readonly malformedPaths: readonly string[];
  /**
   * `not_json`: a truncated body; `not_envelope`: JSON without the `errcode` envelope;
   * `wrong_shape`: a success envelope whose `result` is not the documented shape.
   */
  readonly malformedKind: MalformedKind;
  /**
   * How many more answers on `malformedPaths` are malformed (counted down as they are sent);
   * then the paths answer normally again. null: every answer.
   */
  readonly malformedTimes: number | null;
  /** `v2/user/list` of these departments always answers `errcode -1`. */
  readonly failUserListDepts: readonly number[];
  /**
   * A walk that misses someone: the `v2/user/list` page that would list this user (in `deptId`,
   * else in any department) leaves them out, while `v2/user/get` still finds them. null: none.
   */
  readonly dropFromUserList: DroppedListing | null;
  /** A counted fault at a chosen point of a walk (see burst.ts); null: none. */
  readonly burst: Burst | null;
  /** DingTalk's per-IP ban of every app and API (see ip-ban.ts); null: none. */
  readonly ipBan: IpBan | null;
  /** The organisation's monthly call quota (see monthly-quota.ts); null: none. */
  readonly monthlyQuota: MonthlyQuota | null;
}

export const NO_FAULTS: DingTalkFaults = {
  qps: null,
  qpsByPath: {},
  missingApiPermissions: [],
  permissionErrorForm: 'sub_code',
  missingFieldPermissions: [],
  authedDept: null,
  authedUser: [],
  tokenTtlSeconds: 7200,
  tokenErrorForm: 'plain',
  busyRate: 0,
  serverErrorRate: 0,
  latencyMs: 0,
  faultPaths: [],
  malformedPaths: [],
  malformedKind: 'wrong_shape',
  malformedTimes: null,
  failUserListDepts: [],
  dropFromUserList: null,
  burst: null,
  ipBan: null,
  monthlyQuota: null,
};

const rate = z.number().min(0).max(1);

/** Body of `POST /_sim/faults`, with some or all of the faults, plus the one-shot `expireTokensNow`. */
export const faultsPatchSchema = z.strictObject({
  qps: z.number().positive().nullable().optional(),
  qpsByPath: z.record(z.string(), z.number().positive()).optional(),
  missingApiPermissions: z.array(z.string()).optional(),
  permissionErrorForm: z.enum(['sub_code', 'plain']).optional(),
  missingFieldPermissions: z.array(z.enum(['phone', 'personal'])).optional(),
  authedDept: z.array(z.number().int()).nullable().optional(),
  authedUser: z.array(z.string()).optional(),
  tokenTtlSeconds: z.number().int().positive().optional(),
  tokenErrorForm: z.enum(['plain', 'sub_code']).optional(),
  busyRate: rate.optional(),
  serverErrorRate: rate.optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  faultPaths: z.array(z.string()).optional(),
  malformedPaths: z.array(z.string()).optional(),
  malformedKind: z.enum(MALFORMED_KINDS).optional(),
  malformedTimes: z.number().int().min(0).nullable().optional(),
  failUserListDepts: z.array(z.number().int()).optional(),
  /** null switches it off. */
  dropFromUserList: z
    .strictObject({ userid: z.string().min(1), deptId: z.number().int().optional() })
    .nullable()
    .optional(),
  /** null switches it off. */
  burst: burstSchema.nullable().optional(),
  /** null switches it off. */
  ipBan: ipBanSchema.nullable().optional(),
  /** null switches it off. */
  monthlyQuota: monthlyQuotaSchema.nullable().optional(),
  /** Expire every token issued so far (not stored: an action). */
  expireTokensNow: z.boolean().optional(),
});

export type FaultsPatch = z.input<typeof faultsPatchSchema>;

/** Shallow merge: a key given replaces that fault; keys not given are kept. */
export function mergeFaults(current: DingTalkFaults, patch: FaultsPatch): DingTalkFaults {
  const { expireTokensNow: _action, ...rest } = faultsPatchSchema.parse(patch);
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...current, ...defined };
}

/** Field groups behind DingTalk's two field permissions (reference §3). */
export const FIELD_GROUPS: Readonly<Record<'phone' | 'personal', readonly string[]>> = {
  phone: ['mobile', 'state_code'],
  personal: ['email', 'org_email', 'work_place', 'remark', 'extension'],
};

/** The API permission each simulated path needs (reference §2, §3). */
export const API_PERMISSIONS: Readonly<Record<string, string>> = {
  '/topapi/v2/department/listsub': 'qyapi_get_department_list',
  '/topapi/v2/department/listsubid': 'qyapi_get_department_list',
  '/topapi/v2/department/get': 'qyapi_get_department_list',
  '/topapi/v2/user/list': 'qyapi_get_department_member',
  '/topapi/user/listsimple': 'qyapi_get_department_member',
  '/topapi/v2/user/get': 'qyapi_get_department_member',
  '/topapi/user/count': 'qyapi_get_department_member',
  // Unconfirmed: the new API's scope name, in the shape of the reference's 403 example.
  '/v1.0/contact/empLeaveRecords': 'Contact.User.Read',
};

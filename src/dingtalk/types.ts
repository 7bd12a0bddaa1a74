import type { z } from 'zod';
import type { authScopesSchema, departmentSchema, leaveRecordsPageSchema, userSchema } from './schemas.js';

/** A department as `department/get` and `department/listsub` return it (fields we use). */
export type DingTalkDepartment = z.output<typeof departmentSchema>;

/** A user as `v2/user/list` and `v2/user/get` return it (fields we use). */
export type DingTalkUser = z.output<typeof userSchema>;

/** What the app may read: fields, and the departments/users of its authorised scope. */
export interface AuthScopes {
  /** `auth_user_field`: the user fields the app is authorised to read. */
  readonly userFields: readonly string[];
  /** `authed_dept`: `[1]` when the whole organisation is authorised. */
  readonly authedDepartments: readonly number[];
  /** `authed_user`: users authorised one by one. */
  readonly authedUsers: readonly string[];
}

export type AuthScopesWire = z.output<typeof authScopesSchema>;

/** One leave record (`empLeaveRecords`): who left, when (ISO 8601) and DingTalk's `leaveReason`. */
export type LeaveRecord = z.output<typeof leaveRecordsPageSchema>['records'][number];

/**
 * Where a DingTalk client counts each call it sends for the monthly quota, and each 90020
 * (src/quota/call-counter.ts keeps the count in Redis).
 */
export interface MonthlyCallMeter {
  /** One HTTP attempt sent to `path` (a retried call counts each attempt, as DingTalk does). */
  count(path: string): void;
  /** DingTalk answered `path` that the organisation's monthly quota is spent. */
  refused(path: string): void;
}

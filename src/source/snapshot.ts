/**
 * The source snapshot: the organisation as DingTalk shows it to this profile, complete or not
 * at all. The builder throws on any failed page, permission error or exhausted retry, so a
 * SourceSnapshot value always describes the whole scope: no write is ever planned from a
 * partial picture.
 */

/** Whether the DingTalk app may read a field at all (from `auth/scopes` `auth_user_field`). */
export type FieldAccess = 'authorised' | 'not_authorised';

export interface SourceFieldAccess {
  /** `mobile` (and `state_code`): 企业员工手机号信息. */
  readonly mobile: FieldAccess;
  /** `email`: 邮箱等个人信息. */
  readonly email: FieldAccess;
  /** `org_email`: 邮箱等个人信息. */
  readonly orgEmail: FieldAccess;
}

export interface SourceDepartment {
  /** DingTalk `dept_id` (≥ 1). */
  readonly id: number;
  /** Cleaned (clean-name.ts): never empty, the id when DingTalk's has nothing visible. */
  readonly name: string;
  /** DingTalk `parent_id`; undefined for a scope root (it maps to a root group). */
  readonly parentId: number | undefined;
}

export interface SourceUser {
  /** DingTalk `userid`: unique, immutable, a string even when all digits. */
  readonly userid: string;
  readonly unionid: string | undefined;
  /** Cleaned (clean-name.ts): never empty, the userid when DingTalk's has nothing visible. */
  readonly name: string;
  /** Absent when empty or when `mobile` is not authorised (see `fields`). */
  readonly mobile: string | undefined;
  /** Country code of the mobile (`state_code`), e.g. "86". */
  readonly stateCode: string | undefined;
  readonly email: string | undefined;
  readonly orgEmail: string | undefined;
  /** In-scope departments the user is directly in: deduplicated, sorted ascending. */
  readonly deptIds: readonly number[];
}

export interface SourceSnapshot {
  /** Scope roots, in config order: each maps to one root group. */
  readonly roots: readonly number[];
  /** Every in-scope department, roots included. */
  readonly departments: ReadonlyMap<number, SourceDepartment>;
  /** Every in-scope user once, keyed by userid (department members and `authed_user`). */
  readonly users: ReadonlyMap<string, SourceUser>;
  readonly fields: SourceFieldAccess;
  /**
   * Identifies the scope this snapshot was taken for (configured scope plus the app's
   * authorised departments and users): the completeness pre-flight compares only snapshots
   * with the same key.
   */
  readonly scopeKey: string;
}

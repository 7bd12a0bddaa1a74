import type { DingTalkFaults } from './faults.js';
import { FIELD_GROUPS } from './faults.js';
import type { SimUser } from './org-types.js';

const ALL_FIELDS = [
  'userid',
  'unionid',
  'name',
  'avatar',
  'state_code',
  'mobile',
  'hide_mobile',
  'telephone',
  'job_number',
  'title',
  'email',
  'org_email',
  'work_place',
  'remark',
  'dept_id_list',
  'extension',
  'hired_date',
  'active',
  'admin',
  'boss',
  'leader',
  'exclusive_account',
] as const;

const OPTIONAL_TEXT = [
  'avatar',
  'state_code',
  'mobile',
  'telephone',
  'job_number',
  'title',
  'email',
  'org_email',
  'work_place',
  'remark',
  'extension',
] as const;

/** Fields the app may not read under the current faults. */
export function hiddenFields(faults: DingTalkFaults): ReadonlySet<string> {
  return new Set(faults.missingFieldPermissions.flatMap((g) => FIELD_GROUPS[g]));
}

/** `auth_user_field` of auth/scopes: every user field minus the revoked groups. */
export function authorisedFields(faults: DingTalkFaults): string[] {
  const hidden = hiddenFields(faults);
  return ALL_FIELDS.filter((f) => !hidden.has(f));
}

/**
 * A user on the wire, in v2/user/list and v2/user/get: numbers as numbers, booleans as
 * booleans, and a field absent when empty or not authorised (never `""` or `null`).
 * `leader` refers to the queried department (false here).
 */
export function wireUser(u: SimUser, hidden: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { userid: u.userid, unionid: u.unionid, name: u.name };
  for (const key of OPTIONAL_TEXT) {
    const v = u[key];
    if (v !== undefined && v !== '' && !hidden.has(key)) out[key] = v;
  }
  out.hide_mobile = u.hide_mobile;
  out.dept_id_list = u.dept_id_list;
  if (u.hired_date !== undefined) out.hired_date = u.hired_date;
  out.active = u.active;
  out.admin = u.admin;
  out.boss = u.boss;
  out.leader = false;
  out.exclusive_account = u.exclusive_account;
  return out;
}

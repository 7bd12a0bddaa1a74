import type { Profile } from '../config/schema.js';
import { emailAccess } from '../plan/owned-fields.js';
import type { PlanNotice } from '../plan/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';

/** Warnings for fields the app may not read: unknown, so never cleared. */
export function permissionWarnings(source: SourceSnapshot, profile: Profile): string[] {
  const w: string[] = [];
  const s = profile.sync;
  if (s.syncPhone && source.fields.mobile === 'not_authorised') {
    w.push(
      'the DingTalk app may not read mobile (grant 企业员工手机号信息): phones and phone logins were left as they are',
    );
  }
  if (s.syncEmail && emailAccess(source.fields, s.emailField) === 'not_authorised') {
    w.push(
      `the DingTalk app may not read ${s.emailField} (grant 邮箱等个人信息): emails were left as they are`,
    );
  }
  return w;
}

/** Warnings a report carries inline. */
const WARNINGS_CAP = 200;

/** The plan's notices as warnings, but for those the report counts (re-entered, kept enabled). */
export function noticeWarnings(notices: readonly PlanNotice[]): string[] {
  const told = notices.filter((n) => n.kind !== 'reentered' && n.kind !== 'keptEnabledByAdmin');
  const w = told.slice(0, WARNINGS_CAP).map((n) => n.message);
  if (told.length > WARNINGS_CAP) w.push(`… and ${told.length - WARNINGS_CAP} more such warnings`);
  return w;
}

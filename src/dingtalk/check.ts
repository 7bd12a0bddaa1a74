import type { DingTalkClient } from './client.js';

/** What `dtsync check` reports about the DingTalk side of a profile. */
export interface DingTalkAccessReport {
  /** `user/count` (`only_active: false`): the whole organisation, whatever the app's scope. */
  readonly employeeCount: number;
  /** `auth_user_field`. */
  readonly userFields: readonly string[];
  readonly mobileAuthorised: boolean;
  readonly emailAuthorised: boolean;
  readonly orgEmailAuthorised: boolean;
  /** `authed_dept`; `[1]` is the whole organisation. */
  readonly authorisedDepartments: readonly number[];
  /** `authed_user`. */
  readonly authorisedUsers: readonly string[];
  readonly wholeOrganisation: boolean;
}

/**
 * Proves the credentials (token), reads the authorised scope and fields, and counts the
 * organisation: three calls. Throws the client's `DingTalkError` (bad credentials, missing
 * permission…), which already says what to fix.
 */
export async function checkDingTalkAccess(
  client: DingTalkClient,
  signal?: AbortSignal,
): Promise<DingTalkAccessReport> {
  const scopes = await client.authScopes(signal);
  const employeeCount = await client.countUsers(signal);
  const has = (f: string) => scopes.userFields.includes(f);
  return {
    employeeCount,
    userFields: scopes.userFields,
    mobileAuthorised: has('mobile'),
    emailAuthorised: has('email'),
    orgEmailAuthorised: has('org_email'),
    authorisedDepartments: scopes.authedDepartments,
    authorisedUsers: scopes.authedUsers,
    wholeOrganisation: scopes.authedDepartments.includes(1),
  };
}

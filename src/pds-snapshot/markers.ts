/**
 * How PDS itself records what this sync owns, so that a wiped Redis loses nothing: managed
 * users carry keys in `user_data`, managed groups a marker in `description`.
 */
import { cutUtf16, NAME_MAX } from '../source/clean-name.js';

/** `user_data` keys the sync owns; every other key is kept as found. */
export const UD = {
  source: 'source',
  profile: 'dtsync_profile',
  userid: 'dingtalk_userid',
  unionid: 'dingtalk_unionid',
  disabledBy: 'dtsync_disabled_by',
  disabledAt: 'dtsync_disabled_at',
  disabledReason: 'dtsync_disabled_reason',
  /**
   * Set once on a user whose DingTalk userid now belongs to another person (its value: the
   * reason code). Such a user is out of the managed set for good: no run touches it again.
   */
  retired: 'dtsync_retired',
} as const;

export const SOURCE_DINGTALK = 'dingtalk';
export const DISABLED_BY_SYNC = 'sync';

/*
 * Why the sync disabled a user is a stable code in `dtsync_disabled_reason`, one of
 * src/plan/disable-reason.ts (readers word it; PDS shows it as it is). Versions before it wrote
 * English (`out of scope`), then always `out_of_scope`; nothing compares the value, so such a
 * record reads as it is and is never rewritten for its text.
 */

/** The account of a person whose userid DingTalk gave to someone else: out of the managed set. */
export const isRetired = (userData: Readonly<Record<string, string>> | undefined): boolean =>
  (userData?.[UD.retired] ?? '') !== '';

/** PDS limit on `user_data` (all keys and values). Measured as the JSON length of the map. */
export const USER_DATA_MAX_CHARS = 1024;

export function userDataLength(data: Readonly<Record<string, string>>): number {
  return JSON.stringify(data).length;
}

/** Profile that manages a PDS user, by its `user_data`; undefined for users no profile manages. */
export function managingProfile(userData: Readonly<Record<string, string>> | undefined): string | undefined {
  if (userData?.[UD.source] !== SOURCE_DINGTALK) return undefined;
  return userData[UD.profile];
}

const MARKER = /\[dtsync:([a-z0-9-]{1,40}):dept:(\d+)\]/;

/** Group description: a readable line plus the machine marker `[dtsync:<profile>:dept:<id>]`. */
export function groupDescription(profileId: string, deptId: number): string {
  return `Synced from DingTalk department ${deptId}; kept by dingtalk-pds-sync. [dtsync:${profileId}:dept:${deptId}]`;
}

export function parseGroupMarker(
  description: string | undefined,
): { profileId: string; deptId: number } | undefined {
  const m = MARKER.exec(description ?? '');
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  return { profileId: m[1], deptId: Number(m[2]) };
}

/**
 * PDS group names are 1–128 characters. The snapshot already cleaned the name (never empty, at
 * most NAME_MAX); the cut is the same surrogate-safe one, for names that did not come through it.
 */
export function groupNameOf(departmentName: string): string {
  return cutUtf16(departmentName, NAME_MAX);
}

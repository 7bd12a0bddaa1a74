import type { DingTalkError } from '../errors/dingtalk-error.js';
import type { DingTalkUser, LeaveRecord } from '../dingtalk/types.js';

/** What one read of an absent person found (src/absence/confirm.ts), before grace and time. */
export type Confirmation =
  /** 60121 and a leave record: left the company. */
  | { readonly kind: 'left'; readonly leaveReason: string; readonly leaveTime: string | undefined }
  /** 50002: the app may no longer read them. */
  | { readonly kind: 'out_of_scope' }
  /** Found, in none of the walked departments. */
  | { readonly kind: 'moved_out' }
  /** Found inside the walked departments (`deptId`, the first of them): the walk missed them. */
  | { readonly kind: 'missed'; readonly deptId: number }
  /** 60121 without a leave record (`not_found`), or the read failed (its code). */
  | { readonly kind: 'unexplained'; readonly cause: string };

/** The answer of one `v2/user/get`: the user, or the error it failed with. */
export type UserAnswer =
  { readonly ok: true; readonly user: DingTalkUser } | { readonly ok: false; readonly error: DingTalkError };

/**
 * Classifies one absent person from their `v2/user/get` answer, the leave records read for the
 * run, and the departments the walk listed. Pure: the rules of issue 28 in one place.
 */
export function classifyAbsence(
  userid: string,
  answer: UserAnswer,
  leave: ReadonlyMap<string, LeaveRecord>,
  walked: (deptId: number) => boolean,
): Confirmation {
  if (answer.ok) {
    const depts = answer.user.dept_id_list ?? [];
    // found with no department to compare: nothing proves they moved out
    if (depts.length === 0) return { kind: 'unexplained', cause: 'no_departments' };
    const inside = depts.find(walked);
    return inside === undefined ? { kind: 'moved_out' } : { kind: 'missed', deptId: inside };
  }
  const { error } = answer;
  if (error.code === '60121') {
    const record = leave.get(userid);
    return record === undefined
      ? { kind: 'unexplained', cause: 'not_found' }
      : { kind: 'left', leaveReason: record.leaveReason ?? 'unknown', leaveTime: record.leaveTime };
  }
  if (error.code === '50002') return { kind: 'out_of_scope' };
  return { kind: 'unexplained', cause: error.code };
}

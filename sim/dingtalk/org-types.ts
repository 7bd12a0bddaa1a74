/** The simulated organisation, in DingTalk's own field names (`GET /_sim/org` returns this). */

export interface SimDepartment {
  readonly dept_id: number;
  name: string;
  /** Absent on the root (1). */
  readonly parent_id?: number | undefined;
}

/** A user as DingTalk stores it; absent optional fields are never sent. */
export interface SimUser {
  readonly userid: string;
  readonly unionid: string;
  name: string;
  mobile?: string | undefined;
  state_code?: string | undefined;
  email?: string | undefined;
  org_email?: string | undefined;
  title?: string | undefined;
  job_number?: string | undefined;
  work_place?: string | undefined;
  telephone?: string | undefined;
  remark?: string | undefined;
  extension?: string | undefined;
  avatar?: string | undefined;
  hired_date?: number | undefined;
  /** "Has activated DingTalk", not "enabled". */
  active: boolean;
  admin: boolean;
  boss: boolean;
  hide_mobile: boolean;
  exclusive_account: boolean;
  dept_id_list: number[];
}

export interface SimOrgData {
  readonly departments: readonly SimDepartment[];
  readonly users: readonly SimUser[];
}

/** What `empLeaveRecords` reports for a user who left. */
export interface LeaveRecord {
  readonly userId: string;
  readonly name: string;
  readonly stateCode?: string | undefined;
  readonly mobile?: string | undefined;
  /** Epoch ms. */
  readonly leaveTime: number;
  readonly leaveReason: string;
}

export const ROOT_DEPT_ID = 1;
/** The home-school tree: listed by listsub(1)/listsubid(1), breaks every contacts API. */
export const HOME_SCHOOL_DEPT_ID = -7;

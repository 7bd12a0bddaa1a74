import type { AuthScopes, DingTalkDepartment, DingTalkUser } from '../dingtalk/types.js';

/** What the snapshot builder reads; `DingTalkClient` is the production implementation. */
export interface ContactsSource {
  /** Part of the scope key: another app is another scope. */
  readonly appKey: string;
  authScopes(signal?: AbortSignal): Promise<AuthScopes>;
  getDepartment(deptId: number, signal?: AbortSignal): Promise<DingTalkDepartment>;
  listSubDepartments(deptId: number, signal?: AbortSignal): Promise<readonly DingTalkDepartment[]>;
  /** Pages of one department's own users, to the last page. */
  listUsers(deptId: number, signal?: AbortSignal): AsyncIterable<readonly DingTalkUser[]>;
  getUser(userid: string, signal?: AbortSignal): Promise<DingTalkUser>;
}

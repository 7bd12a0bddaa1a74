import {
  ROOT_DEPT_ID,
  type LeaveRecord,
  type SimDepartment,
  type SimOrgData,
  type SimUser,
} from './org-types.js';

/** A mutation the org refuses (unknown id, non-empty department…): HTTP 400 on the control API. */
export class SimOrgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * The organisation with the indexes the routes need to answer in O(page): children per
 * department and members per department, both in entry order (`entry_asc`).
 */
export class OrgStore {
  readonly departments = new Map<number, SimDepartment>();
  readonly children = new Map<number, number[]>();
  readonly members = new Map<number, string[]>();
  readonly users = new Map<string, SimUser>();
  readonly leaveRecords: LeaveRecord[] = [];
  /** Bumped by every change, so derived caches know when to rebuild. */
  version = 0;
  #memberCounts: { version: number; counts: Map<number, number> } | undefined;

  static from(data: SimOrgData): OrgStore {
    const store = new OrgStore();
    const root = data.departments.find((d) => d.dept_id === ROOT_DEPT_ID);
    store.addDepartment({ dept_id: ROOT_DEPT_ID, name: root?.name ?? '模拟科技有限公司' });
    // Parents before children, whatever order the input lists them in; siblings keep their order.
    let pending = data.departments.filter((d) => d.dept_id !== ROOT_DEPT_ID);
    while (pending.length > 0) {
      const waiting: SimDepartment[] = [];
      for (const d of pending) {
        if (d.parent_id !== undefined && store.departments.has(d.parent_id)) {
          store.addDepartment({ dept_id: d.dept_id, name: d.name, parent_id: d.parent_id });
        } else waiting.push(d);
      }
      if (waiting.length === pending.length) {
        throw new SimOrgError(
          `departments without a known parent: ${waiting.map((d) => d.dept_id).join(', ')}`,
        );
      }
      pending = waiting;
    }
    for (const u of data.users) store.addUser({ ...u, dept_id_list: [...u.dept_id_list] });
    return store;
  }

  data(): SimOrgData {
    return { departments: [...this.departments.values()], users: [...this.users.values()] };
  }

  department(id: number): SimDepartment {
    const d = this.departments.get(id);
    if (d === undefined) throw new SimOrgError(`no department ${id}`);
    return d;
  }

  user(userid: string): SimUser {
    const u = this.users.get(userid);
    if (u === undefined) throw new SimOrgError(`no user ${userid}`);
    return u;
  }

  addDepartment(d: SimDepartment): void {
    if (this.departments.has(d.dept_id)) throw new SimOrgError(`department ${d.dept_id} exists`);
    if (d.dept_id < 1) throw new SimOrgError('dept_id must be >= 1');
    if (d.dept_id !== ROOT_DEPT_ID) {
      if (d.parent_id === undefined) throw new SimOrgError(`department ${d.dept_id} needs a parent_id`);
      const siblings = this.children.get(this.department(d.parent_id).dept_id) ?? [];
      // DingTalk keeps sibling names unique (cousins may share one).
      if (siblings.some((s) => this.departments.get(s)?.name === d.name)) {
        throw new SimOrgError(`department ${d.parent_id} already has a sub-department named ${d.name}`);
      }
      siblings.push(d.dept_id);
      this.children.set(d.parent_id, siblings);
    }
    this.departments.set(d.dept_id, { ...d });
    this.children.set(d.dept_id, this.children.get(d.dept_id) ?? []);
    this.members.set(d.dept_id, []);
    this.version++;
  }

  removeDepartment(id: number): SimDepartment {
    const d = this.department(id);
    if (id === ROOT_DEPT_ID) throw new SimOrgError('the root department cannot be removed');
    if ((this.children.get(id) ?? []).length > 0)
      throw new SimOrgError(`department ${id} has sub-departments`);
    if ((this.members.get(id) ?? []).length > 0) throw new SimOrgError(`department ${id} has members`);
    const siblings = this.children.get(d.parent_id ?? ROOT_DEPT_ID) ?? [];
    siblings.splice(siblings.indexOf(id), 1);
    this.departments.delete(id);
    this.children.delete(id);
    this.members.delete(id);
    this.version++;
    return d;
  }

  renameDepartment(id: number, name: string): { from: string; to: string } {
    const d = this.department(id);
    const siblings = this.children.get(d.parent_id ?? 0) ?? [];
    if (siblings.some((s) => s !== id && this.departments.get(s)?.name === name)) {
      throw new SimOrgError(`a sibling of department ${id} is already named ${name}`);
    }
    const from = d.name;
    d.name = name;
    this.version++;
    return { from, to: name };
  }

  addUser(u: SimUser): void {
    if (this.users.has(u.userid)) throw new SimOrgError(`user ${u.userid} exists`);
    if (u.dept_id_list.length === 0) throw new SimOrgError(`user ${u.userid} needs a department`);
    for (const id of u.dept_id_list) this.department(id);
    this.users.set(u.userid, u);
    for (const id of u.dept_id_list) this.members.get(id)?.push(u.userid);
    this.version++;
  }

  /** Without `record`, the person is gone with no leave record (DingTalk's list may lack one). */
  removeUser(userid: string, leaveReason: string, now: number, record = true): SimUser {
    const u = this.user(userid);
    this.detach(u);
    this.users.delete(userid);
    if (record)
      this.leaveRecords.push({
        userId: u.userid,
        name: u.name,
        stateCode: u.state_code,
        mobile: u.mobile,
        leaveTime: now,
        leaveReason,
      });
    this.version++;
    return u;
  }

  moveUser(userid: string, deptIds: readonly number[]): { from: number[]; to: number[] } {
    const u = this.user(userid);
    const to = [...new Set(deptIds)];
    if (to.length === 0) throw new SimOrgError('dept_id_list must not be empty');
    for (const id of to) this.department(id);
    const from = u.dept_id_list;
    this.detach(u);
    u.dept_id_list = to;
    // A moved user joins the end of each new department, as a new entry would.
    for (const id of to) this.members.get(id)?.push(userid);
    this.version++;
    return { from, to };
  }

  /** Marks the org changed after an in-place edit of a user. */
  touch(): void {
    this.version++;
  }

  /** Is the department inside an authorised scope (itself or an ancestor authorised)? */
  inScope(deptId: number, authedDept: ReadonlySet<number>): boolean {
    for (let id: number | undefined = deptId; id !== undefined; id = this.departments.get(id)?.parent_id) {
      if (authedDept.has(id)) return true;
    }
    return false;
  }

  /** `member_count` of department/get: members of the department and its sub-departments. */
  memberCount(deptId: number): number {
    if (this.#memberCounts?.version !== this.version) {
      const counts = new Map<number, number>();
      for (const [id, m] of this.members) {
        for (let a: number | undefined = id; a !== undefined; a = this.departments.get(a)?.parent_id) {
          counts.set(a, (counts.get(a) ?? 0) + m.length);
        }
      }
      this.#memberCounts = { version: this.version, counts };
    }
    return this.#memberCounts.counts.get(deptId) ?? 0;
  }

  private detach(u: SimUser): void {
    for (const id of u.dept_id_list) {
      const m = this.members.get(id);
      const i = m?.indexOf(u.userid) ?? -1;
      if (m !== undefined && i >= 0) m.splice(i, 1);
    }
  }
}

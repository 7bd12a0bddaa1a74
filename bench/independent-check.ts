import { createHash } from 'node:crypto';

/**
 * An independent check of a synced PDS domain, written for the benchmark and the end-to-end
 * tests: it derives the expected state from the DingTalk simulator's org with its own code
 * (nothing of src/plan or src/pds-snapshot is used) and lists what differs from the PDS simulator's
 * state. Scope: the whole organisation.
 */

export interface OrgDepartment {
  readonly dept_id: number;
  readonly name: string;
  readonly parent_id?: number | undefined;
}

export interface OrgUser {
  readonly userid: string;
  readonly unionid?: string | undefined;
  readonly name: string;
  readonly mobile?: string | undefined;
  readonly state_code?: string | undefined;
  readonly email?: string | undefined;
  readonly org_email?: string | undefined;
  readonly dept_id_list: readonly number[];
}

export interface Org {
  readonly departments: readonly OrgDepartment[];
  readonly users: readonly OrgUser[];
}

type Json = Record<string, unknown>;

export interface DomainGroup {
  readonly group_id: string;
  readonly group_name: string;
  readonly description: string;
  readonly parent_group_id: string | null;
  readonly is_root: boolean;
  readonly members: { readonly users: readonly string[]; readonly groups: readonly string[] };
}

export interface DomainLink {
  readonly user_id: string;
  readonly type: string;
  readonly identity: string;
  readonly extra?: string;
}

export interface Domain {
  readonly users: readonly Json[];
  readonly groups: readonly DomainGroup[];
  readonly links: readonly DomainLink[];
}

export interface CheckOptions {
  readonly profileId: string;
  readonly syncPhone: boolean;
  readonly syncEmail: boolean;
  readonly emailField: 'email' | 'org_email';
  readonly dingIdentity: 'unionid' | 'userid';
  /** Objects seeded before the first run, which must be byte-identical afterwards. */
  readonly seeded?: Domain;
  /** Stop listing after this many violations. @defaultValue 50 */
  readonly maxViolations?: number;
}

/** The id rule of the spec, written out again on purpose. */
function expectedUserId(userid: string): string {
  const plain = `dt_${userid}`;
  return plain.length <= 64 && !plain.includes('#')
    ? plain
    : `dt_h_${createHash('sha256').update(userid).digest('hex').slice(0, 40)}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function userDataOf(u: Json): Record<string, string> {
  const d = u.user_data;
  return d !== null && typeof d === 'object' ? (d as Record<string, string>) : {};
}

/** Lists every difference between the expected and the actual domain (empty = correct). */
export function checkDomain(org: Org, domain: Domain, o: CheckOptions): string[] {
  const max = o.maxViolations ?? 50;
  const v: string[] = [];
  const add = (s: string) => {
    if (v.length < max) v.push(s);
  };
  const marker = (deptId: number) => `[dtsync:${o.profileId}:dept:${deptId}]`;

  // groups: one per department, named like it, nested like the departments
  const groupOfDept = new Map<number, DomainGroup>();
  for (const g of domain.groups) {
    const m = /\[dtsync:([a-z0-9-]+):dept:(\d+)\]/.exec(g.description);
    if (m?.[1] !== o.profileId) continue;
    const deptId = Number(m[2]);
    if (groupOfDept.has(deptId)) add(`two groups for department ${deptId}`);
    groupOfDept.set(deptId, g);
  }
  const deptIds = new Set(org.departments.map((d) => d.dept_id));
  for (const d of org.departments) {
    const g = groupOfDept.get(d.dept_id);
    if (g === undefined) {
      add(`no group for department ${d.dept_id} ${marker(d.dept_id)}`);
      continue;
    }
    if (g.group_name !== d.name.trim().slice(0, 128))
      add(`group of department ${d.dept_id} is named "${g.group_name}", not "${d.name}"`);
    const parent =
      d.parent_id === undefined || !deptIds.has(d.parent_id) ? undefined : groupOfDept.get(d.parent_id);
    if (parent === undefined ? !g.is_root : g.parent_group_id !== parent.group_id) {
      add(`group of department ${d.dept_id} is not under the group of department ${String(d.parent_id)}`);
    }
  }
  const managedGroupIds = new Set([...groupOfDept.values()].map((g) => g.group_id));
  const groupsOfUser = new Map<string, Set<string>>();
  for (const g of domain.groups) {
    if (!managedGroupIds.has(g.group_id)) continue;
    for (const u of g.members.users) {
      const set = groupsOfUser.get(u) ?? new Set<string>();
      set.add(g.group_id);
      groupsOfUser.set(u, set);
    }
  }

  // users: every employee present, enabled, with the right fields, groups and links
  const users = new Map(domain.users.map((u) => [String(u.user_id), u]));
  const linksOf = new Map<string, DomainLink>();
  for (const l of domain.links) linksOf.set(`${l.type}|${l.identity}`, l);
  const inOrg = new Set<string>();
  for (const e of org.users) {
    const id = expectedUserId(e.userid);
    inOrg.add(id);
    const u = users.get(id);
    if (u === undefined) {
      add(`employee ${e.userid} has no PDS user ${id}`);
      continue;
    }
    const data = userDataOf(u);
    if (
      data.dtsync_profile !== o.profileId ||
      data.dingtalk_userid !== e.userid ||
      data.source !== 'dingtalk'
    ) {
      add(`${id}: user_data does not mark it as managed for ${e.userid}`);
    }
    if (u.status !== 'enabled') add(`${id}: status ${String(u.status)}, expected enabled`);
    if (u.nick_name !== e.name) add(`${id}: nick_name "${String(u.nick_name)}", expected "${e.name}"`);
    if (o.syncPhone && str(u.phone) !== str(e.mobile)) add(`${id}: phone differs`);
    const email = o.emailField === 'email' ? e.email : e.org_email;
    if (o.syncEmail && str(u.email) !== str(email)) add(`${id}: email differs`);
    const want = new Set(
      e.dept_id_list.flatMap((d) => (groupOfDept.has(d) ? [groupOfDept.get(d)?.group_id ?? ''] : [])),
    );
    const have = groupsOfUser.get(id) ?? new Set<string>();
    if (want.size !== have.size || [...want].some((g) => !have.has(g)))
      add(`${id}: groups differ from departments ${e.dept_id_list.join(',')}`);
    const ding = o.dingIdentity === 'unionid' ? e.unionid : e.userid;
    if (ding !== undefined && linksOf.get(`ding|${ding}`)?.user_id !== id) add(`${id}: no ding link ${ding}`);
    if (o.syncPhone && e.mobile !== undefined && linksOf.get(`mobile|${e.mobile}`)?.user_id !== id)
      add(`${id}: no mobile link`);
  }

  // leavers: managed, not in the org → disabled and out of the managed groups, never deleted
  for (const u of domain.users) {
    const id = String(u.user_id);
    const data = userDataOf(u);
    if (data.dtsync_profile !== o.profileId || inOrg.has(id)) continue;
    if (u.role === 'admin' || u.role === 'superadmin') continue;
    if (u.status !== 'disabled' && data.dtsync_disabled_by === undefined)
      add(`${id}: left the org but is still enabled`);
    if ((groupsOfUser.get(id)?.size ?? 0) > 0) add(`${id}: left the org but is still in managed groups`);
    // whoever holds the leaver's work number next must not log in to the leaver's drive
    if (o.syncPhone && u.status === 'disabled' && data.dtsync_disabled_by === 'sync') {
      const phone = linksOf.get(`mobile|${str(u.phone)}`);
      if (phone?.user_id === id) add(`${id}: left the org but keeps its phone login`);
    }
  }

  // seeded objects: byte-identical; nothing deleted
  if (o.seeded !== undefined) {
    for (const s of o.seeded.users) {
      const now = users.get(String(s.user_id));
      if (now === undefined) add(`seeded user ${String(s.user_id)} was deleted`);
      else if (JSON.stringify(now) !== JSON.stringify(s)) add(`seeded user ${String(s.user_id)} was changed`);
    }
    const groups = new Map(domain.groups.map((g) => [g.group_id, g]));
    for (const s of o.seeded.groups) {
      const now = groups.get(s.group_id);
      if (now === undefined) add(`seeded group ${s.group_id} was deleted`);
      else if (JSON.stringify(now) !== JSON.stringify(s)) add(`seeded group ${s.group_id} was changed`);
    }
    for (const s of o.seeded.links) {
      if (linksOf.get(`${s.type}|${s.identity}`)?.user_id !== s.user_id)
        add(`seeded link ${s.type} ${s.identity} was changed`);
    }
  }
  return v;
}

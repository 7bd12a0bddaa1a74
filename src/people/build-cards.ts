import type { LinkInfo } from '../pds/types.js';
import { UD } from '../pds-snapshot/markers.js';
import type { ManagedUser, TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { LinkSpec, Plan, UserAction } from '../plan/types.js';
import { maskEmail, maskPhone } from '../report/mask.js';
import type { SourceSnapshot, SourceUser } from '../source/snapshot.js';
import type { AccountView, DepartmentTree, DingtalkView, LinkView, PersonCard } from './types.js';

/** What a complete run knew when it ended: its snapshots, what it applied, and what failed. */
export interface CompleteRun {
  readonly runId: string;
  readonly at: string;
  readonly source: SourceSnapshot;
  readonly target: TargetSnapshot;
  /** What the gate let through (a breaker's held disables are not in it). */
  readonly applied: Plan;
  /** PDS user ids whose record failed in this run. */
  readonly failed: ReadonlySet<string>;
}

/** One person the run knew: a managed account, or one it created or adopted. */
interface Subject {
  readonly pdsUserId: string;
  readonly userid: string;
  /** The account as PDS showed it at the run's start (a managed user, or one being adopted). */
  readonly base?: AccountBase | undefined;
  readonly action?: UserAction | undefined;
}

type AccountBase = Pick<ManagedUser, 'status' | 'nickName' | 'userData'> & {
  readonly groupIds: readonly string[];
};

/** Every PDS user id the run knew a person by, with what it knew of them. */
export function subjectsOf(run: CompleteRun): Subject[] {
  const actions = new Map(run.applied.users.map((a) => [a.pdsUserId, a]));
  const managed = [...run.target.managed.values(), ...run.target.duplicateClaims];
  const known = new Set(managed.map((m) => m.pdsUserId));
  const subjects: Subject[] = managed.map((m) => ({
    pdsUserId: m.pdsUserId,
    userid: m.userid,
    base: m,
    action: actions.get(m.pdsUserId),
  }));
  for (const a of run.applied.users) {
    if (known.has(a.pdsUserId)) continue;
    // a new person: created, or an existing account adopted (not managed when the run began)
    const other = run.target.others.get(a.pdsUserId);
    if (a.kind === 'create' || (a.kind === 'update' && other !== undefined)) {
      subjects.push({
        pdsUserId: a.pdsUserId,
        userid: a.userid,
        action: a,
        ...(other === undefined ? {} : { base: { ...other, groupIds: [] } }),
      });
      known.add(a.pdsUserId);
    }
  }
  // a person the plan could not create (the id taken by hand): their page tells why
  for (const f of run.applied.failures)
    if (f.pdsUserId !== undefined && !known.has(f.pdsUserId) && !run.target.managed.has(f.userid)) {
      subjects.push({ pdsUserId: f.pdsUserId, userid: f.userid });
      known.add(f.pdsUserId);
    }
  return subjects;
}

const linkView = (type: string, identity: string): LinkView => ({
  type,
  identity: type === 'mobile' ? (maskPhone(identity) ?? '') : identity,
});
const sameLink = (a: LinkView, b: LinkSpec) =>
  a.type === b.type && a.identity === linkView(b.type, b.identity).identity;

function dingtalkView(u: SourceUser, source: SourceSnapshot): DingtalkView {
  return {
    name: u.name,
    departments: u.deptIds.map((id) => ({ id, name: source.departments.get(id)?.name ?? String(id) })),
    mobile: maskPhone(u.mobile),
    email: maskEmail(u.email),
    orgEmail: maskEmail(u.orgEmail),
    access: { ...source.fields },
  };
}

/**
 * The account as this run left it: as PDS showed it, with the run's own write applied when it
 * did not fail. Links the run did not read are the previous card's.
 */
function accountView(
  s: Subject,
  run: CompleteRun,
  groupName: (id: string) => string,
  prev?: PersonCard,
): AccountView {
  const a = s.action !== undefined && !run.failed.has(s.pdsUserId) ? s.action : undefined;
  const deptGroup = (d: number) =>
    run.target.groups.get(d)?.name ?? run.source.departments.get(d)?.name ?? String(d);
  const read: readonly LinkInfo[] | undefined = run.target.links.get(s.pdsUserId);
  let links: LinkView[] | undefined =
    read?.map((l) => linkView(l.authentication_type, l.identity)) ?? prev?.pds.links?.slice();
  if (a?.kind === 'create')
    return {
      exists: true,
      status: 'enabled',
      nickName: a.fields.nick_name,
      groups: a.deptIds.map(deptGroup),
      links: a.linkAdd.map((l) => linkView(l.type, l.identity)),
    };
  const m = s.base;
  if (m === undefined) return { exists: false, groups: [], ...(links === undefined ? {} : { links }) };
  let groups = m.groupIds.map(groupName);
  let userData = m.userData;
  let status = m.status;
  let nickName = m.nickName;
  if (a !== undefined) {
    const removed = new Set(a.removeGroupIds.map(groupName));
    groups = groups.filter((g) => !removed.has(g));
    const add = a.kind === 'update' ? a.linkAdd : [];
    if (links !== undefined) {
      const kept = links.filter((l) => !a.linkRemove.some((r) => sameLink(l, r)));
      links = [
        ...kept,
        ...add.filter((n) => !kept.some((l) => sameLink(l, n))).map((l) => linkView(l.type, l.identity)),
      ];
    }
    if (a.kind === 'update') {
      groups = [...new Set([...groups, ...a.addDeptIds.map(deptGroup)])];
      userData = a.userData ?? userData;
      nickName = a.fields.nick_name ?? nickName;
    }
    if (a.kind === 'disable' || a.kind === 'retire') {
      userData = a.userData;
      if (a.kind === 'disable' || a.disable) status = 'disabled';
    }
  }
  return {
    exists: true,
    status,
    nickName,
    groups,
    ...(links === undefined ? {} : { links }),
    disabledBy: status === 'disabled' ? userData[UD.disabledBy] : undefined,
    disabledAt: status === 'disabled' ? userData[UD.disabledAt] : undefined,
    disabledReason: status === 'disabled' ? userData[UD.disabledReason] : undefined,
  };
}

/** Builds the cards of these subjects (with their previous cards, for links not read). */
export function cardsOf(
  run: CompleteRun,
  subjects: readonly Subject[],
  prev: ReadonlyMap<string, PersonCard>,
): PersonCard[] {
  const names = new Map<string, string>();
  for (const g of run.target.groups.values()) names.set(g.groupId, g.name);
  const groupName = (id: string) => names.get(id) ?? id;
  const retiring = new Set(run.applied.users.filter((a) => a.kind === 'retire').map((a) => a.pdsUserId));
  return subjects.map((s) => {
    const u = run.source.users.get(s.userid);
    // DingTalk's person of a userid is one account: not a duplicate claim, nor a previous
    // person's account the run retires (its successor is)
    const primary = run.target.managed.get(s.userid)?.pdsUserId;
    const synced =
      u !== undefined &&
      !retiring.has(s.pdsUserId) &&
      (primary === undefined || primary === s.pdsUserId || retiring.has(primary));
    const pds = accountView(s, run, groupName, prev.get(s.pdsUserId));
    return {
      pdsUserId: s.pdsUserId,
      userid: s.userid,
      name: (synced ? u?.name : undefined) ?? pds.nickName ?? s.userid,
      runId: run.runId,
      at: run.at,
      ...(synced && u !== undefined ? { dingtalk: dingtalkView(u, run.source) } : {}),
      pds,
    };
  });
}

/** The department tree as the run saw it: every department it read is in scope. */
export function departmentTree(run: Pick<CompleteRun, 'runId' | 'at' | 'source'>): DepartmentTree {
  const members = new Map<number, number>();
  for (const u of run.source.users.values())
    for (const d of u.deptIds) members.set(d, (members.get(d) ?? 0) + 1);
  const rows = [...run.source.departments.values()].map((d) => ({
    id: d.id,
    name: d.name,
    ...(d.parentId === undefined ? {} : { parentId: d.parentId }),
    members: members.get(d.id) ?? 0,
    inScope: true,
  }));
  return { runId: run.runId, at: run.at, roots: [...run.source.roots], departments: rows };
}

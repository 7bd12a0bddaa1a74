import type { LinkInfo } from '../pds/types.js';
import type { SourceSnapshot, SourceUser } from '../source/snapshot.js';
import {
  DISABLED_BY_SYNC,
  SOURCE_DINGTALK,
  UD,
  USER_DATA_MAX_CHARS,
  userDataLength,
} from '../pds-snapshot/markers.js';
import type { ManagedUser, OtherUser, TargetSnapshot } from '../pds-snapshot/snapshot.js';
import { desiredLinks, desiredUser, sameLink, type DesiredUser } from './desired.js';
import { pdsUserIdFor } from '../pds-snapshot/identity.js';
import type {
  FieldChanges,
  LinkSpec,
  OwnedFields,
  PlanNotice,
  PlanOptions,
  PlannedFailure,
  UserAction,
} from './types.js';

const PRIVILEGED = new Set(['admin', 'superadmin']);

export interface UserPlan {
  readonly actions: UserAction[];
  readonly failures: PlannedFailure[];
  readonly notices: PlanNotice[];
  /** Counted while planning. */
  unchanged: number;
}

interface Ctx {
  readonly source: SourceSnapshot;
  readonly target: TargetSnapshot;
  readonly o: PlanOptions;
  /** Group of each department that has one already. */
  readonly groupOfDept: ReadonlyMap<number, string>;
  readonly out: UserPlan;
}

const DISABLE_KEYS = [UD.disabledBy, UD.disabledAt, UD.disabledReason] as const;

function ownedUserData(
  base: Readonly<Record<string, string>>,
  u: SourceUser,
  o: PlanOptions,
): Record<string, string> {
  const data: Record<string, string> = {
    ...base,
    [UD.source]: SOURCE_DINGTALK,
    [UD.profile]: o.profileId,
    [UD.userid]: u.userid,
  };
  if (u.unionid !== undefined) data[UD.unionid] = u.unionid;
  return data;
}

function sameData(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** Owned fields that differ, with report entries. `''` clears a field the source no longer has. */
function fieldDiff(
  current: { nickName?: string | undefined; phone?: string | undefined; email?: string | undefined },
  d: DesiredUser,
) {
  const fields: { -readonly [K in keyof OwnedFields]: OwnedFields[K] } = {};
  const changes: Record<string, readonly [string | undefined, string | undefined]> = {};
  if ((current.nickName ?? '') !== d.nickName) {
    fields.nick_name = d.nickName;
    changes.nick_name = [current.nickName, d.nickName];
  }
  if (d.phone.known && (current.phone ?? '') !== (d.phone.value ?? '')) {
    fields.phone = d.phone.value ?? '';
    changes.phone = [current.phone, d.phone.value];
  }
  if (d.email.known && (current.email ?? '') !== (d.email.value ?? '')) {
    fields.email = d.email.value ?? '';
    changes.email = [current.email, d.email.value];
  }
  return { fields, changes };
}

/**
 * Link changes. With the user's links read: exact. With `syncPhone` on and the phone readable,
 * the sync owns the user's `mobile` links (any other number is drift and goes); of `ding`
 * links it owns only this person's own identities (the other form after a dingIdentity
 * switch). Without the links read: only what a phone change implies (apply is idempotent).
 */
function linkDiff(
  d: DesiredUser,
  u: SourceUser,
  previousPhone: string | undefined,
  links: readonly LinkInfo[] | undefined,
  o: PlanOptions,
): { add: LinkSpec[]; remove: LinkSpec[] } {
  const want = desiredLinks(d);
  if (links === undefined) {
    const phoneChanged = d.phone.known && (previousPhone ?? '') !== (d.phone.value ?? '');
    if (!phoneChanged) return { add: [], remove: [] };
    return {
      add: want.filter((l) => l.type === 'mobile'),
      remove:
        previousPhone === undefined || previousPhone === ''
          ? []
          : [{ type: 'mobile', identity: previousPhone }],
    };
  }
  const otherDing = o.dingIdentity === 'unionid' ? u.userid : u.unionid;
  const remove: LinkSpec[] = [];
  for (const x of links) {
    const stale =
      (x.authentication_type === 'mobile' && d.phone.known && x.identity !== d.phone.value) ||
      (x.authentication_type === 'ding' && x.identity === otherDing && otherDing !== d.dingIdentity);
    if (stale) {
      remove.push({
        type: x.authentication_type,
        identity: x.identity,
        ...(x.extra === undefined ? {} : { extra: x.extra }),
      });
    }
  }
  const has = (l: LinkSpec) =>
    links.some((x) => sameLink(l, { type: x.authentication_type, identity: x.identity }));
  return { add: want.filter((l) => !has(l)), remove };
}

function desiredGroups(ctx: Ctx, u: SourceUser, current: readonly string[]) {
  const wanted = new Set<string>();
  const addDeptIds: number[] = [];
  for (const deptId of u.deptIds) {
    const groupId = ctx.groupOfDept.get(deptId);
    if (groupId === undefined) addDeptIds.push(deptId);
    else {
      wanted.add(groupId);
      if (!current.includes(groupId)) addDeptIds.push(deptId);
    }
  }
  return { addDeptIds, removeGroupIds: current.filter((g) => !wanted.has(g)) };
}

/**
 * The common case, decided without allocating anything (it is most users on most runs): a
 * managed user whose owned fields, user_data and groups already match and whose links were not
 * read. Each condition mirrors one the full path checks; any doubt falls through to it.
 */
/** The user's own fields and the sync's markers on it match DingTalk (groups and links aside). */
function fieldsInStep(u: SourceUser, m: ManagedUser, f: SourceSnapshot['fields'], o: PlanOptions): boolean {
  const d = m.userData;
  if (d[UD.source] !== SOURCE_DINGTALK || d[UD.profile] !== o.profileId || d[UD.userid] !== u.userid)
    return false;
  if (u.unionid !== undefined && d[UD.unionid] !== u.unionid) return false;
  if (d[UD.disabledBy] === DISABLED_BY_SYNC) return false; // re-entered, or its record is to be cleared
  if ((m.nickName ?? '') !== u.name.slice(0, 128)) return false;
  if (o.syncPhone && f.mobile === 'authorised' && (m.phone ?? '') !== (u.mobile ?? '')) return false;
  const emailAccess = o.emailField === 'email' ? f.email : f.orgEmail;
  const email = o.emailField === 'email' ? u.email : u.orgEmail;
  if (o.syncEmail && emailAccess === 'authorised' && (m.email ?? '') !== (email ?? '')) return false;
  return true;
}

function alreadyInStep(ctx: Ctx, u: SourceUser, m: ManagedUser): boolean {
  if (ctx.target.links.has(m.pdsUserId)) return false;
  if (!fieldsInStep(u, m, ctx.source.fields, ctx.o)) return false;
  if (u.deptIds.length !== m.groupIds.length) return false;
  for (const deptId of u.deptIds) {
    const g = ctx.groupOfDept.get(deptId);
    if (g === undefined || !m.groupIds.includes(g)) return false;
  }
  return true;
}

/**
 * Whether plan() will surely change this managed user, judged from one department listing while
 * the DingTalk walk is still going: its own fields differ, or it is listed in a department whose
 * group (`listedGroupId`) it is not a member of. Such a user's links will be read anyway, so
 * they can be read during the walk. False says nothing (its other departments are not seen yet).
 */
export function surelyChanged(
  u: SourceUser,
  m: ManagedUser,
  listedGroupId: string | undefined,
  fields: SourceSnapshot['fields'],
  o: PlanOptions,
): boolean {
  if (!fieldsInStep(u, m, fields, o)) return true;
  return listedGroupId !== undefined && !m.groupIds.includes(listedGroupId);
}

function planInScope(ctx: Ctx, u: SourceUser, m: ManagedUser, adoptedBy?: 'ding' | 'email' | 'phone'): void {
  const { o, out } = ctx;
  if (adoptedBy === undefined && alreadyInStep(ctx, u, m)) {
    out.unchanged++;
    return;
  }
  const d = desiredUser(u, ctx.source.fields, o);
  const disabledBySync = m.userData[UD.disabledBy] === DISABLED_BY_SYNC;
  const reentered = m.status === 'disabled' && disabledBySync;
  let userData: Record<string, string> = ownedUserData(m.userData, u, o);
  if (m.status === 'enabled' && disabledBySync) {
    // enabled by an admin after re-entry: the disable record has served its purpose
    userData = Object.fromEntries(
      Object.entries(userData).filter(([k]) => !(DISABLE_KEYS as readonly string[]).includes(k)),
    );
  }
  const dataChanged = !sameData(userData, m.userData);
  if (dataChanged && userDataLength(userData) > USER_DATA_MAX_CHARS) {
    out.failures.push({
      userid: u.userid,
      pdsUserId: m.pdsUserId,
      action: adoptedBy === undefined ? 'update' : 'adopt',
      code: 'UserDataTooLong',
      reason: `user_data of ${m.pdsUserId} would exceed PDS's ${USER_DATA_MAX_CHARS} characters with the sync's keys`,
    });
    return;
  }
  const { fields, changes } = fieldDiff(m, d);
  const links = ctx.target.links.get(m.pdsUserId);
  const { add, remove } = linkDiff(d, u, m.phone, links, o);
  const { addDeptIds, removeGroupIds } = desiredGroups(ctx, u, m.groupIds);
  if (reentered) {
    out.notices.push({
      kind: 'reentered',
      userid: u.userid,
      pdsUserId: m.pdsUserId,
      message: `${m.pdsUserId} is back in scope and stays disabled: re-entered, awaiting enable by an admin`,
    });
  }
  const hasWrites =
    dataChanged ||
    Object.keys(fields).length > 0 ||
    addDeptIds.length > 0 ||
    removeGroupIds.length > 0 ||
    add.length > 0 ||
    remove.length > 0;
  // users a run changes, restores or adopts get their links read and planned exactly
  const needsLinkCheck = links === undefined && (hasWrites || reentered || adoptedBy !== undefined);
  if (!hasWrites && !needsLinkCheck) {
    if (!reentered) out.unchanged++;
    return;
  }
  const allChanges: FieldChanges =
    dataChanged && adoptedBy !== undefined
      ? { ...changes, user_data: ['(other)', 'managed by this profile'] }
      : changes;
  out.actions.push({
    kind: 'update',
    userid: u.userid,
    pdsUserId: m.pdsUserId,
    reason: adoptedBy !== undefined ? 'adopted' : reentered ? 'reentered' : 'changed',
    ...(adoptedBy === undefined ? {} : { adoptedBy }),
    fields,
    userData: dataChanged ? userData : undefined,
    changes: allChanges,
    addDeptIds,
    removeGroupIds,
    linkAdd: add,
    linkRemove: remove,
    linksUnknown: links === undefined,
  });
}

function planOutOfScope(ctx: Ctx, m: ManagedUser): void {
  const { o, out } = ctx;
  const disabledBySync = m.userData[UD.disabledBy] === DISABLED_BY_SYNC;
  if (m.status === 'disabled') {
    if (m.groupIds.length > 0) {
      out.actions.push({
        kind: 'leaveGroups',
        userid: m.userid,
        pdsUserId: m.pdsUserId,
        removeGroupIds: m.groupIds,
      });
    } else out.unchanged++;
    return;
  }
  if (disabledBySync) {
    out.notices.push({
      kind: 'keptEnabledByAdmin',
      userid: m.userid,
      pdsUserId: m.pdsUserId,
      message: `${m.pdsUserId} is out of scope but was enabled again by an admin: kept enabled by an admin`,
    });
    return;
  }
  if (PRIVILEGED.has(m.role)) {
    out.notices.push({
      kind: 'adminNotDisabled',
      userid: m.userid,
      pdsUserId: m.pdsUserId,
      message: `${m.pdsUserId} is out of scope but has role ${m.role}: admins are never disabled by the sync`,
    });
    return;
  }
  const reason =
    'left the sync scope (left the company, moved out of the synced departments, or the scope changed)';
  const userData = {
    ...m.userData,
    [UD.disabledBy]: DISABLED_BY_SYNC,
    [UD.disabledAt]: o.now,
    [UD.disabledReason]: 'out of scope',
  };
  out.actions.push({
    kind: 'disable',
    userid: m.userid,
    pdsUserId: m.pdsUserId,
    userData,
    removeGroupIds: m.groupIds,
    reason,
  });
}

const eligibleForAdoption = (x: OtherUser) => x.managedBy === undefined && !PRIVILEGED.has(x.role);

/** The unmanaged user to adopt for a new DingTalk user, a failure, or undefined to create. */
function findAdoption(ctx: Ctx, u: SourceUser, d: DesiredUser): OtherUser | PlannedFailure | undefined {
  const { o, target } = ctx;
  if (o.adoptExisting === 'off') return undefined;
  if (o.adoptExisting === 'ding') {
    const owner = d.dingIdentity === undefined ? undefined : target.dingOwners.get(d.dingIdentity);
    const other = owner === undefined || owner === null ? undefined : target.others.get(owner);
    return other !== undefined && eligibleForAdoption(other) ? other : undefined;
  }
  const key = o.adoptExisting === 'email' ? d.email : d.phone;
  if (!key.known || key.value === undefined) return undefined;
  const value = key.value;
  const matches = [...target.others.values()].filter(
    (x) => eligibleForAdoption(x) && (o.adoptExisting === 'email' ? x.email === value : x.phone === value),
  );
  if (matches.length <= 1) return matches[0];
  return {
    userid: u.userid,
    pdsUserId: undefined,
    action: 'adopt',
    code: 'AmbiguousAdoption',
    reason: `${matches.length} PDS users have this ${o.adoptExisting}: link the right one by hand (${matches.map((x) => x.pdsUserId).join(', ')})`,
  };
}

function asManaged(x: OtherUser): ManagedUser {
  return { ...x, userid: '', groupIds: [] };
}

function planNew(ctx: Ctx, u: SourceUser): void {
  const { o, out, target } = ctx;
  const d = desiredUser(u, ctx.source.fields, o);
  const adoption = findAdoption(ctx, u, d);
  if (adoption !== undefined && 'code' in adoption) {
    out.failures.push(adoption);
    return;
  }
  if (adoption !== undefined) {
    const by = o.adoptExisting === 'off' ? 'ding' : o.adoptExisting;
    planInScope(ctx, u, { ...asManaged(adoption), userid: u.userid }, by);
    return;
  }
  const pdsUserId = pdsUserIdFor(u.userid);
  if (target.others.has(pdsUserId)) {
    out.failures.push({
      userid: u.userid,
      pdsUserId,
      action: 'create',
      code: 'UserIdTaken',
      reason: `user id ${pdsUserId} taken by a user this sync does not manage`,
    });
    return;
  }
  const fields: { -readonly [K in keyof OwnedFields]: OwnedFields[K] } = { nick_name: d.nickName };
  if (d.phone.known && d.phone.value !== undefined) fields.phone = d.phone.value;
  if (d.email.known && d.email.value !== undefined) fields.email = d.email.value;
  out.actions.push({
    kind: 'create',
    userid: u.userid,
    pdsUserId,
    fields,
    userData: ownedUserData({}, u, o),
    deptIds: u.deptIds,
    linkAdd: desiredLinks(d),
  });
}

/** Users: create, update, adopt, restore, disable. Only users this profile manages are changed. */
export function planUsers(source: SourceSnapshot, target: TargetSnapshot, o: PlanOptions): UserPlan {
  const groupOfDept = new Map<number, string>();
  for (const [deptId, g] of target.groups) groupOfDept.set(deptId, g.groupId);
  const out: UserPlan = { actions: [], failures: [], notices: [], unchanged: 0 };
  const ctx: Ctx = { source, target, o, groupOfDept, out };
  for (const u of source.users.values()) {
    const m = target.managed.get(u.userid);
    if (m === undefined) planNew(ctx, u);
    else planInScope(ctx, u, m);
  }
  for (const m of target.managed.values()) {
    if (!source.users.has(m.userid)) planOutOfScope(ctx, m);
  }
  for (const dup of target.duplicateClaims) {
    out.notices.push({
      kind: 'duplicateClaim',
      userid: dup.userid,
      pdsUserId: dup.pdsUserId,
      message: `${dup.pdsUserId} also claims DingTalk user ${dup.userid}; it is left alone (resolve by hand)`,
    });
  }
  return out;
}

import type { Safety } from '../../src/config/schema.js';
import type { LinkInfo } from '../../src/pds/types.js';
import type { PlanOptions } from '../../src/plan/types.js';
import type {
  SourceDepartment,
  SourceFieldAccess,
  SourceSnapshot,
  SourceUser,
} from '../../src/source/snapshot.js';
import type {
  ManagedGroup,
  ManagedUser,
  OtherUser,
  TargetSnapshot,
} from '../../src/pds-snapshot/snapshot.js';

export const ALL_FIELDS: SourceFieldAccess = {
  mobile: 'authorised',
  email: 'authorised',
  orgEmail: 'authorised',
};

export function dept(id: number, name: string, parentId?: number): SourceDepartment {
  return { id, name, parentId };
}

export function user(userid: string, over: Partial<SourceUser> = {}): SourceUser {
  return {
    userid,
    unionid: `u-${userid}`,
    name: `Name ${userid}`,
    mobile: undefined,
    stateCode: undefined,
    email: undefined,
    orgEmail: undefined,
    deptIds: [1],
    ...over,
  };
}

export function buildSource(input: {
  departments?: SourceDepartment[];
  users?: SourceUser[];
  roots?: number[];
  fields?: Partial<SourceFieldAccess>;
}): SourceSnapshot {
  const departments = input.departments ?? [dept(1, 'Acme')];
  return {
    roots: input.roots ?? [1],
    departments: new Map(departments.map((d) => [d.id, d])),
    users: new Map((input.users ?? []).map((u) => [u.userid, u])),
    fields: { ...ALL_FIELDS, ...input.fields },
    scopeKey: 'test-scope',
  };
}

export function managed(userid: string, over: Partial<ManagedUser> = {}, profileId = 'acme'): ManagedUser {
  return {
    pdsUserId: `dt_${userid}`,
    userid,
    nickName: `Name ${userid}`,
    phone: undefined,
    email: undefined,
    status: 'enabled',
    role: 'user',
    groupIds: ['g1'],
    ...over,
    userData: {
      source: 'dingtalk',
      dtsync_profile: profileId,
      dingtalk_userid: userid,
      dingtalk_unionid: `u-${userid}`,
      ...over.userData,
    },
  };
}

export function other(pdsUserId: string, over: Partial<OtherUser> = {}): OtherUser {
  return {
    pdsUserId,
    role: 'user',
    status: 'enabled',
    email: undefined,
    phone: undefined,
    managedBy: undefined,
    userData: {},
    nickName: pdsUserId,
    ...over,
  };
}

export function group(deptId: number, groupId: string, name: string, parentGroupId?: string): ManagedGroup {
  return { groupId, deptId, name, parentGroupId, createdAt: 1 };
}

export function link(user_id: string, type: string, identity: string, extra?: string): LinkInfo {
  return { authentication_type: type, identity, user_id, ...(extra === undefined ? {} : { extra }) };
}

export function buildTarget(input: {
  managed?: ManagedUser[];
  others?: OtherUser[];
  groups?: ManagedGroup[];
  links?: Record<string, LinkInfo[]>;
  dingOwners?: Record<string, string | null>;
  duplicateClaims?: ManagedUser[];
}): TargetSnapshot {
  return {
    managed: new Map((input.managed ?? []).map((m) => [m.userid, m])),
    duplicateClaims: input.duplicateClaims ?? [],
    others: new Map((input.others ?? []).map((o) => [o.pdsUserId, o])),
    groups: new Map((input.groups ?? [group(1, 'g1', 'Acme')]).map((g) => [g.deptId, g])),
    duplicateGroups: [],
    links: new Map(Object.entries(input.links ?? {})),
    dingOwners: new Map(Object.entries(input.dingOwners ?? {})),
  };
}

export function options(over: Partial<PlanOptions> = {}): PlanOptions {
  return {
    profileId: 'acme',
    syncPhone: true,
    syncEmail: true,
    emailField: 'email',
    dingIdentity: 'unionid',
    adoptExisting: 'off',
    now: '2026-11-25T03:00:00.000Z',
    ...over,
  };
}

/** The safety gates at their defaults, with `over` changed (the budget follows maxDisableCount, as in the config). */
export const safety = (over: Partial<Safety> = {}): Safety => {
  const maxDisableCount = over.maxDisableCount ?? 500;
  const maxDisablesPerDay = over.maxDisablesPerDay ?? maxDisableCount;
  return {
    maxDisableCount,
    maxDisablePercent: 10,
    maxSourceDropPercent: 20,
    minOverlapPercent: 50,
    holdOnScopeChange: true,
    maxFirstRunUnmanaged: 20,
    holdMode: 'disables',
    absenceGraceHours: 24,
    maxDisablesPerDay,
    maxDisablesPerWeek: 2 * maxDisablesPerDay,
    ...over,
  };
};

import type { SyncSettings } from '../config/schema.js';
import type { Params } from '../i18n/catalog.js';
import type { AdoptedBy, ChangeAction } from './change-action.js';
import type { PlannedDisableReason } from './disable-reason.js';

/** What `plan()` needs besides the two snapshots. */
export interface PlanOptions {
  readonly profileId: string;
  readonly syncPhone: boolean;
  readonly syncEmail: boolean;
  readonly emailField: SyncSettings['emailField'];
  readonly dingIdentity: SyncSettings['dingIdentity'];
  readonly adoptExisting: SyncSettings['adoptExisting'];
  /** ISO time written into disable records. */
  readonly now: string;
}

/** A login link the sync owns: `ding` (DingTalk QR login) or `mobile` (phone login). */
export interface LinkSpec {
  readonly type: 'ding' | 'mobile';
  readonly identity: string;
  readonly extra?: string;
}

/** Field changes for the report: `[before, after]`, `undefined` meaning absent. */
export type FieldChanges = Readonly<Record<string, readonly [string | undefined, string | undefined]>>;

/** Owned profile fields, by their PDS names. `''` clears a field. */
export interface OwnedFields {
  readonly nick_name?: string;
  readonly phone?: string;
  readonly email?: string;
}

export type GroupAction =
  /** Created parent-first: `parentDeptId` undefined makes a root group. */
  | {
      readonly kind: 'createGroup';
      readonly deptId: number;
      readonly name: string;
      readonly parentDeptId: number | undefined;
    }
  | {
      readonly kind: 'renameGroup';
      readonly deptId: number;
      readonly groupId: string;
      readonly from: string;
      readonly to: string;
    };

export type UserAction =
  | {
      readonly kind: 'create';
      readonly userid: string;
      readonly pdsUserId: string;
      readonly fields: OwnedFields;
      readonly userData: Readonly<Record<string, string>>;
      /** Departments whose groups the user joins in the create call. */
      readonly deptIds: readonly number[];
      readonly linkAdd: readonly LinkSpec[];
    }
  | ({
      /** Update, adopt or restore an existing user; never touches `status` except to disable. */
      readonly kind: 'update';
      readonly userid: string;
      readonly pdsUserId: string;
      readonly fields: OwnedFields;
      /** The whole new `user_data`, when it changes. */
      readonly userData: Readonly<Record<string, string>> | undefined;
      readonly changes: FieldChanges;
      readonly addDeptIds: readonly number[];
      readonly removeGroupIds: readonly string[];
      readonly linkAdd: readonly LinkSpec[];
      readonly linkRemove: readonly LinkSpec[];
      /** Planned without the user's links (`linksToRead` did not name it): only what a phone change implies. */
      readonly linksUnknown: boolean;
    } & (
      | { readonly reason: 'changed' | 'reentered' }
      | { readonly reason: 'adopted'; readonly adoptedBy: AdoptedBy }
    ))
  | {
      readonly kind: 'disable';
      readonly userid: string;
      readonly pdsUserId: string;
      readonly userData: Readonly<Record<string, string>>;
      readonly removeGroupIds: readonly string[];
      /** The phone login the sync made: whoever holds that number next must not log in here. */
      readonly linkRemove: readonly LinkSpec[];
      /** Why (src/plan/disable-reason.ts); written as `dtsync_disabled_reason`. */
      readonly reason: PlannedDisableReason;
      /** When a run first saw the person absent (ISO): a disable budget spends its room oldest first. */
      readonly absentSince?: string | undefined;
      /** For `left`: DingTalk's `leaveReason`. */
      readonly leaveReason?: string | undefined;
    }
  | {
      /**
       * The account of a person whose DingTalk userid now belongs to someone else: its logins
       * go, it leaves the managed groups, and last (it then leaves the managed set for good) it
       * is marked retired and, unless it is an admin or already disabled, disabled.
       */
      readonly kind: 'retire';
      readonly userid: string;
      readonly pdsUserId: string;
      /** With the retired marker (and the disable record when `disable`). */
      readonly userData: Readonly<Record<string, string>>;
      readonly disable: boolean;
      readonly removeGroupIds: readonly string[];
      readonly linkRemove: readonly LinkSpec[];
      /** Planned without the account's links read: the ones the sync's switches made. */
      readonly linksUnknown: boolean;
    }
  | {
      /**
       * Out of scope and already disabled: only leaves the managed groups, and loses a phone
       * login the sync made that its disable did not remove (one by a version before it did).
       */
      readonly kind: 'leaveGroups';
      readonly userid: string;
      readonly pdsUserId: string;
      readonly removeGroupIds: readonly string[];
      readonly linkRemove: readonly LinkSpec[];
    };

/** A record the plan already knows cannot be done, with a reason an admin can act on. */
export interface PlannedFailure {
  readonly userid: string;
  readonly pdsUserId: string | undefined;
  readonly action: ChangeAction;
  /** What the report words it as (report/failure-kind.ts). */
  readonly code:
    | 'UserIdTaken'
    | 'UserDataTooLong'
    | 'AmbiguousAdoption'
    /** The candidate stands for another DingTalk person (its stored unionid differs). */
    | 'AdoptionIdentityReused'
    /** `dingIdentity: userid`: the candidate has no unionid to prove it is this person. */
    | 'AdoptionUnverified';
  /** English detail, for logs and support. */
  readonly reason: string;
  /** Values the failure's words need beside its code (the candidates of an ambiguous adoption). */
  readonly params?: Params;
}

/** Things the report tells about, without writes. */
export interface PlanNotice {
  readonly kind:
    | 'keptEnabledByAdmin'
    | 'reentered'
    | 'adminNotDisabled'
    | 'departmentGone'
    | 'departmentMoved'
    | 'duplicateClaim'
    | 'duplicateGroup'
    /** The userid went to another person: `pdsUserId` retired, `successorPdsUserId` theirs. */
    | 'identity_reused'
    /** Absent from the walk, yet `v2/user/get` found them inside it (`deptId`): not disabled. */
    | 'walkMissed'
    /** Absent and unexplained: not disabled before `until`. */
    | 'absenceInGrace';
  readonly userid?: string;
  readonly pdsUserId?: string;
  readonly successorPdsUserId?: string;
  readonly deptId?: number;
  readonly groupId?: string;
  /** `absenceInGrace`: the end of the grace (ISO). */
  readonly until?: string;
}

export interface Plan {
  readonly groups: readonly GroupAction[];
  readonly users: readonly UserAction[];
  readonly failures: readonly PlannedFailure[];
  readonly notices: readonly PlanNotice[];
  readonly unchanged: number;
  /** PDS users this profile does not manage (never touched). */
  readonly unmanagedSkipped: number;
  /** Managed users that are enabled now: the base of the mass-change breaker. */
  readonly managedEnabled: number;
}

/**
 * What the planner decided for one person (a DingTalk user in scope, or a managed user out of
 * it): each rule returns one, and `planUsers` collects them.
 */
export type UserDecision =
  | { readonly kind: 'unchanged' }
  /** A write; `notice` tells about it too (a person back in scope stays disabled). */
  | { readonly kind: 'change'; readonly action: UserAction; readonly notice?: PlanNotice }
  /** Nothing to write, something to tell. */
  | { readonly kind: 'notice'; readonly notice: PlanNotice }
  /** The plan already knows the record cannot be done. */
  | { readonly kind: 'fail'; readonly failure: PlannedFailure };

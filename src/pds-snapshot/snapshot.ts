import type { LinkInfo } from '../pds/types.js';

/**
 * The target snapshot: what the PDS domain holds, as seen by one profile. Built from PDS alone
 * (users' `user_data`, groups' description markers, group listings), never from Redis.
 */

/** A PDS user managed by this profile. */
export interface ManagedUser {
  readonly pdsUserId: string;
  /** DingTalk userid it stands for (`user_data.dingtalk_userid`). */
  readonly userid: string;
  readonly nickName: string | undefined;
  readonly phone: string | undefined;
  readonly email: string | undefined;
  readonly status: 'enabled' | 'disabled';
  readonly role: string;
  readonly userData: Readonly<Record<string, string>>;
  /** Managed groups the user is a member of. */
  readonly groupIds: readonly string[];
}

/** Any other PDS user: never modified, but seen for id conflicts and adoption. */
export interface OtherUser {
  readonly pdsUserId: string;
  readonly role: string;
  readonly status: 'enabled' | 'disabled';
  readonly email: string | undefined;
  readonly phone: string | undefined;
  /** Profile id when a dtsync profile manages it (another one, or this one's retired account). */
  readonly managedBy: string | undefined;
  readonly userData: Readonly<Record<string, string>>;
  readonly nickName: string | undefined;
}

export interface ManagedGroup {
  readonly groupId: string;
  readonly deptId: number;
  readonly name: string;
  /** Parent as PDS shows it (from the parent's member listing); undefined for a top group. */
  readonly parentGroupId: string | undefined;
  readonly createdAt: number;
}

export interface TargetSnapshot {
  /** Managed users by DingTalk userid. */
  readonly managed: ReadonlyMap<string, ManagedUser>;
  /** Extra PDS users claiming a DingTalk userid already in `managed` (never touched; reported). */
  readonly duplicateClaims: readonly ManagedUser[];
  /**
   * Users this profile does not manage, by PDS user_id: made by hand, by other tools or other
   * profiles, and this profile's retired accounts (`UD.retired`; `managedBy` is this profile).
   */
  readonly others: ReadonlyMap<string, OtherUser>;
  /** Managed groups by DingTalk dept_id. */
  readonly groups: ReadonlyMap<number, ManagedGroup>;
  /** Extra groups claiming a dept already in `groups` (kept; reported). */
  readonly duplicateGroups: readonly ManagedGroup[];
  /** Login links read for some users (created, changed, restored, adopted; all with --deep). */
  readonly links: ReadonlyMap<string, readonly LinkInfo[]>;
  /** Owner of looked-up `ding` identities (adoptExisting: ding), by identity; null = no link. */
  readonly dingOwners: ReadonlyMap<string, string | null>;
}

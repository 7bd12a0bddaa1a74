/**
 * PDS 2022-03-01 wire types, with PDS's own field names (../shared/reference/pds-api.md).
 * Only what the sync uses; every response is validated by the client.
 */

export type PdsRole = 'user' | 'admin' | 'superadmin' | (string & {});
export type PdsStatus = 'enabled' | 'disabled';

export interface PdsUser {
  readonly domain_id?: string | undefined;
  readonly user_id: string;
  readonly user_name?: string | undefined;
  readonly nick_name?: string | undefined;
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  readonly role?: PdsRole | undefined;
  readonly status?: PdsStatus | undefined;
  readonly description?: string | undefined;
  readonly user_data?: Readonly<Record<string, string>> | undefined;
  readonly created_at?: number | undefined;
  readonly updated_at?: number | undefined;
}

export interface CreateUserRequest {
  readonly user_id: string;
  readonly user_name?: string;
  readonly nick_name?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly role?: PdsRole;
  readonly status?: PdsStatus;
  readonly description?: string;
  readonly user_data?: Readonly<Record<string, string>>;
  readonly group_info_list?: readonly { readonly group_id: string }[];
}

/** No `user_name` (fixed after create). `user_data` replaces the whole map. */
export interface UpdateUserRequest {
  readonly user_id: string;
  readonly nick_name?: string;
  readonly status?: PdsStatus;
  readonly phone?: string;
  readonly email?: string;
  readonly description?: string;
  readonly user_data?: Readonly<Record<string, string>>;
}

export interface SearchUsersFilter {
  readonly email?: string;
  readonly phone?: string;
  readonly nick_name?: string;
  readonly user_name?: string;
  readonly role?: string;
  readonly status?: PdsStatus;
}

export interface PdsGroup {
  readonly domain_id?: string | undefined;
  readonly group_id: string;
  readonly group_name: string;
  readonly description?: string | undefined;
  readonly created_at?: number | undefined;
  readonly updated_at?: number | undefined;
}

/** Exactly one of `parent_group_id` / `is_root`. */
export type CreateGroupRequest =
  | { readonly group_name: string; readonly description?: string; readonly parent_group_id: string }
  | { readonly group_name: string; readonly description?: string; readonly is_root: true };

export interface UpdateGroupRequest {
  readonly group_id: string;
  readonly group_name?: string;
  readonly description?: string;
}

export type MemberType = 'user' | 'group';

export interface MemberPage {
  /** user ids on this page (`user_items[].user_id`). */
  readonly users: readonly string[];
  /** group ids on this page (`group_items[].group_id`). */
  readonly groups: readonly string[];
}

export type LinkType = 'mobile' | 'email' | 'ding' | 'ram' | 'wechat' | 'ldap' | 'custom';

export interface LinkRequest {
  readonly user_id: string;
  readonly type: LinkType;
  readonly identity: string;
  readonly extra?: string;
}

export interface LinkInfo {
  readonly authentication_type: string;
  readonly identity: string;
  readonly extra?: string | undefined;
  readonly user_id: string;
  readonly domain_id?: string | undefined;
  readonly display_name?: string | undefined;
  readonly status?: string | undefined;
  readonly created_at?: number | undefined;
}

/**
 * The PDS API as the sync uses it. There are no delete calls: the sync never deletes.
 * Listings are async iterables of pages (`marker`/`next_marker`, `limit: 100`).
 * Every method takes an optional AbortSignal (BullMQ's cancellation) passed down to HTTP.
 */
export interface PdsApi {
  createUser(req: CreateUserRequest, signal?: AbortSignal): Promise<PdsUser>;
  getUser(userId: string, signal?: AbortSignal): Promise<PdsUser>;
  updateUser(req: UpdateUserRequest, signal?: AbortSignal): Promise<PdsUser>;
  listUsers(signal?: AbortSignal): AsyncIterable<readonly PdsUser[]>;
  searchUsers(filter: SearchUsersFilter, signal?: AbortSignal): AsyncIterable<readonly PdsUser[]>;

  createGroup(req: CreateGroupRequest, signal?: AbortSignal): Promise<PdsGroup>;
  updateGroup(req: UpdateGroupRequest, signal?: AbortSignal): Promise<PdsGroup>;
  getGroup(groupId: string, signal?: AbortSignal): Promise<PdsGroup>;
  listGroups(signal?: AbortSignal): AsyncIterable<readonly PdsGroup[]>;
  addMember(groupId: string, memberType: MemberType, memberId: string, signal?: AbortSignal): Promise<void>;
  removeMember(
    groupId: string,
    memberType: MemberType,
    memberId: string,
    signal?: AbortSignal,
  ): Promise<void>;
  /** `memberType` omitted lists both kinds. */
  listMembers(groupId: string, memberType?: MemberType, signal?: AbortSignal): AsyncIterable<MemberPage>;

  link(req: LinkRequest, signal?: AbortSignal): Promise<void>;
  unlink(req: LinkRequest, signal?: AbortSignal): Promise<void>;
  /** The link of this identity; rejects with a NotFound PdsError when there is none. */
  getLinkInfo(
    req: { type: LinkType; identity: string; extra?: string },
    signal?: AbortSignal,
  ): Promise<LinkInfo>;
  getLinkInfoByUserId(userId: string, signal?: AbortSignal): Promise<readonly LinkInfo[]>;
  /**
   * The `domain_id` the token endpoint returned with the token in use (one is fetched when none
   * is held): the domain the calls actually reach, whatever the config says. Undefined when the
   * answer had none.
   */
  tokenDomain(signal?: AbortSignal): Promise<string | undefined>;
}

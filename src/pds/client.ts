import type { Profile } from '../config/schema.js';
import type { CallStats } from '../http/call-stats.js';
import type { Logger } from '../process/logger.js';
import type { Pacer } from '../pacing/pacer.js';
import { PdsAccounts } from './accounts.js';
import { TokenSource, type PdsTokenInfo } from './auth.js';
import { PdsCore } from './core.js';
import { PdsGroups } from './groups.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { PdsTransport } from './transport.js';
import type {
  CreateGroupRequest,
  CreateUserRequest,
  LinkInfo,
  LinkRequest,
  LinkType,
  MemberPage,
  MemberType,
  PdsApi,
  PdsGroup,
  PdsUser,
  SearchUsersFilter,
  UpdateGroupRequest,
  UpdateUserRequest,
} from './types.js';
import { PdsUsers } from './users.js';

export interface PdsClientOptions {
  readonly settings: Profile['pds'];
  /** Shared pacing; every call takes a slot of key `pds:<domainId>` at `settings.qps`. */
  readonly pacer: Pacer;
  readonly log: Logger;
  readonly stats?: CallStats | undefined;
  /** Overrides of the retry policy (tests shorten the pauses). */
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Per-request timeout. @defaultValue 30000 */
  readonly timeoutMs?: number | undefined;
  /** Clock for token lifetimes and assertion times. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
  /** Jitter source in [0, 1). @defaultValue Math.random */
  readonly random?: (() => number) | undefined;
}

/** What `dtsync check` reports about the PDS credentials. */
export interface PdsCredentialsReport extends PdsTokenInfo {
  readonly clientId: string;
  /** The domain configured, to compare with the `domainId` PDS answered. */
  readonly configuredDomainId: string;
}

/**
 * The PDS 2022-03-01 client of the sync (users, groups, account links), authenticated as a JWT
 * application's service. It has no delete calls: the sync never deletes.
 */
export class PdsClient implements PdsApi {
  readonly #users: PdsUsers;
  readonly #groups: PdsGroups;
  readonly #accounts: PdsAccounts;
  readonly #tokens: TokenSource;

  constructor(private readonly options: PdsClientOptions) {
    const { settings, pacer, stats } = options;
    const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
    const random = options.random ?? Math.random;
    const log = options.log.child({ component: 'pds', domainId: settings.domainId });
    const transport = new PdsTransport({
      baseUrl: settings.baseUrl,
      domainId: settings.domainId,
      qps: settings.qps,
      pacer,
      log,
      stats,
      timeoutMs: options.timeoutMs,
    });
    this.#tokens = new TokenSource({ pds: settings, transport, retry, random, now: options.now ?? Date.now });
    const core = new PdsCore(transport, this.#tokens, retry, random);
    this.#users = new PdsUsers(core);
    this.#groups = new PdsGroups(core);
    this.#accounts = new PdsAccounts(core);
  }

  /** Gets a fresh token and reports its role and domain (a service token is `superadmin`). */
  async checkCredentials(signal?: AbortSignal): Promise<PdsCredentialsReport> {
    const info = await this.#tokens.fresh(signal);
    const { clientId, domainId } = this.options.settings;
    return { ...info, clientId, configuredDomainId: domainId };
  }

  createUser(req: CreateUserRequest, signal?: AbortSignal): Promise<PdsUser> {
    return this.#users.create(req, signal);
  }
  getUser(userId: string, signal?: AbortSignal): Promise<PdsUser> {
    return this.#users.get(userId, signal);
  }
  updateUser(req: UpdateUserRequest, signal?: AbortSignal): Promise<PdsUser> {
    return this.#users.update(req, signal);
  }
  listUsers(signal?: AbortSignal): AsyncIterable<readonly PdsUser[]> {
    return this.#users.list(signal);
  }
  searchUsers(filter: SearchUsersFilter, signal?: AbortSignal): AsyncIterable<readonly PdsUser[]> {
    return this.#users.search(filter, signal);
  }

  createGroup(req: CreateGroupRequest, signal?: AbortSignal): Promise<PdsGroup> {
    return this.#groups.create(req, signal);
  }
  updateGroup(req: UpdateGroupRequest, signal?: AbortSignal): Promise<PdsGroup> {
    return this.#groups.update(req, signal);
  }
  getGroup(groupId: string, signal?: AbortSignal): Promise<PdsGroup> {
    return this.#groups.get(groupId, signal);
  }
  listGroups(signal?: AbortSignal): AsyncIterable<readonly PdsGroup[]> {
    return this.#groups.list(signal);
  }
  addMember(groupId: string, memberType: MemberType, memberId: string, signal?: AbortSignal): Promise<void> {
    return this.#groups.addMember(groupId, memberType, memberId, signal);
  }
  removeMember(
    groupId: string,
    memberType: MemberType,
    memberId: string,
    signal?: AbortSignal,
  ): Promise<void> {
    return this.#groups.removeMember(groupId, memberType, memberId, signal);
  }
  listMembers(groupId: string, memberType?: MemberType, signal?: AbortSignal): AsyncIterable<MemberPage> {
    return this.#groups.listMembers(groupId, memberType, signal);
  }

  link(req: LinkRequest, signal?: AbortSignal): Promise<void> {
    return this.#accounts.link(req, signal);
  }
  unlink(req: LinkRequest, signal?: AbortSignal): Promise<void> {
    return this.#accounts.unlink(req, signal);
  }
  getLinkInfo(
    req: { type: LinkType; identity: string; extra?: string },
    signal?: AbortSignal,
  ): Promise<LinkInfo> {
    return this.#accounts.getLinkInfo(req, signal);
  }
  getLinkInfoByUserId(userId: string, signal?: AbortSignal): Promise<readonly LinkInfo[]> {
    return this.#accounts.getLinkInfoByUserId(userId, signal);
  }
}

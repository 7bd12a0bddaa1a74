import type { z } from 'zod';
import type { Profile } from '../config/schema.js';
import type { CallStats } from '../http/call-stats.js';
import type { EgressPause } from '../pacing/egress-pause.js';
import type { Logger } from '../process/logger.js';
import type { Pacer } from '../pacing/pacer.js';
import type { MonthlyCallMeter } from './types.js';
import { DingTalkExecutor } from './executor.js';
import { DingTalkHttp } from './http.js';
import {
  authScopesSchema,
  departmentSchema,
  leaveRecordsPageSchema,
  listSubResultSchema,
  userCountResultSchema,
  userListResultSchema,
  userSchema,
} from './schemas.js';
import { TokenProvider, type TokenCache } from './token.js';
import type { AuthScopes, DingTalkDepartment, DingTalkUser, LeaveRecord } from './types.js';

export interface DingTalkClientOptions {
  readonly settings: Profile['dingtalk'];
  /** Shared pacing (RedisPacer in services): key `dingtalk:<appKey>:<path>`, `settings.qps` per API. */
  readonly pacer: Pacer;
  /**
   * The deployment's pause while DingTalk bans its egress IP: RedisEgressPause in services, so a
   * ban one worker meets pauses every DingTalk call of every profile and role.
   */
  readonly egress: EgressPause;
  readonly log: Logger;
  readonly stats?: CallStats | undefined;
  /**
   * The organisation's monthly call count (quota/call-counter.ts), shared by every profile and
   * role; every role that calls DingTalk passes one. Absent only in tests of the client itself.
   */
  readonly monthly?: MonthlyCallMeter | undefined;
  /** @defaultValue the process-wide cache */
  readonly tokenCache?: TokenCache | undefined;
  /** Base of every retry wait. @defaultValue 1000 (DingTalk: "back off from 1 s"); tests shorten it. */
  readonly retryBaseMs?: number | undefined;
  /** Per-request timeout. @defaultValue 30000 */
  readonly timeoutMs?: number | undefined;
  /** Clock of the token cache. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/** `v2/user/list` page size: the maximum, so a walk costs Σ⌈users/100⌉ calls. */
export const USER_PAGE_SIZE = 100;

/** `empLeaveRecords` page size: its maximum (reference §3). */
export const LEAVE_PAGE_SIZE = 50;

/**
 * The DingTalk contacts API, one method per endpoint the sync needs. Listings are async
 * generators of pages. Every failure is a `DingTalkError`.
 */
export class DingTalkClient {
  readonly appKey: string;
  readonly #settings: Profile['dingtalk'];
  readonly #executor: DingTalkExecutor;
  readonly #tokens: TokenProvider;

  constructor(opts: DingTalkClientOptions) {
    this.#settings = opts.settings;
    this.appKey = opts.settings.appKey;
    const http = new DingTalkHttp({
      appKey: opts.settings.appKey,
      qps: opts.settings.qps,
      pacer: opts.pacer,
      stats: opts.stats,
      monthly: opts.monthly,
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
    const log = opts.log.child({ component: 'dingtalk', appKey: opts.settings.appKey });
    this.#executor = new DingTalkExecutor({
      http,
      log,
      retryBaseMs: opts.retryBaseMs ?? 1000,
      stats: opts.stats,
      monthly: opts.monthly,
      egress: opts.egress,
    });
    this.#tokens = new TokenProvider({
      settings: opts.settings,
      executor: this.#executor,
      cache: opts.tokenCache,
      now: opts.now,
    });
  }

  /** Fetches (or reuses) the access token: proves the credentials. */
  async authenticate(signal?: AbortSignal): Promise<void> {
    await this.#tokens.token(signal);
  }

  /** `GET /auth/scopes`: the fields and the departments/users the app may read. */
  async authScopes(signal?: AbortSignal): Promise<AuthScopes> {
    const r = await this.#executor.call({
      api: 'oapi',
      baseUrl: this.#settings.oapiBaseUrl,
      method: 'GET',
      path: '/auth/scopes',
      tokens: this.#tokens,
      payload: 'body',
      schema: authScopesSchema,
      signal,
    });
    return {
      userFields: r.auth_user_field,
      authedDepartments: r.auth_org_scopes.authed_dept,
      authedUsers: r.auth_org_scopes.authed_user,
    };
  }

  getDepartment(deptId: number, signal?: AbortSignal): Promise<DingTalkDepartment> {
    return this.topapi(
      '/topapi/v2/department/get',
      { dept_id: deptId, language: 'zh_CN' },
      departmentSchema,
      signal,
    );
  }

  /** Direct children only (no paging). */
  listSubDepartments(deptId: number, signal?: AbortSignal): Promise<DingTalkDepartment[]> {
    return this.topapi(
      '/topapi/v2/department/listsub',
      { dept_id: deptId, language: 'zh_CN' },
      listSubResultSchema,
      signal,
    );
  }

  /** The users of ONE department (not its sub-departments), page by page to the last one. */
  async *listUsers(
    deptId: number,
    signal?: AbortSignal,
  ): AsyncGenerator<readonly DingTalkUser[], void, undefined> {
    let cursor = 0;
    for (;;) {
      const from = cursor;
      const page = await this.topapi(
        '/topapi/v2/user/list',
        {
          dept_id: deptId,
          cursor,
          size: USER_PAGE_SIZE,
          // Entry order: a user edited mid-walk keeps their place (modify order would move them
          // across pages and could skip someone).
          order_field: 'entry_asc',
          contain_access_limit: false,
          language: 'zh_CN',
        },
        userListResultSchema,
        signal,
        // A cursor that does not move would loop forever or silently truncate the department.
        (p) => (p.has_more && p.next_cursor === from ? 'result.next_cursor: does not advance' : undefined),
      );
      yield page.list ?? [];
      // the schema makes a page that promises more carry next_cursor
      if (!page.has_more || page.next_cursor === undefined) return;
      cursor = page.next_cursor;
    }
  }

  getUser(userid: string, signal?: AbortSignal): Promise<DingTalkUser> {
    return this.topapi('/topapi/v2/user/get', { userid, language: 'zh_CN' }, userSchema, signal);
  }

  /**
   * DingTalk's leave records from `since` on (`GET /v1.0/contact/empLeaveRecords` on
   * api.dingtalk.com), page by page to the last one (`nextToken`).
   */
  async *leaveRecords(
    since: Date,
    signal?: AbortSignal,
    pageSize: number = LEAVE_PAGE_SIZE,
  ): AsyncGenerator<readonly LeaveRecord[], void, undefined> {
    let nextToken: string | undefined;
    for (;;) {
      const from = nextToken;
      const page = await this.#executor.call({
        api: 'api',
        baseUrl: this.#settings.apiBaseUrl,
        method: 'GET',
        path: '/v1.0/contact/empLeaveRecords',
        query: {
          startTime: since.toISOString(),
          maxResults: String(pageSize),
          ...(nextToken === undefined ? {} : { nextToken }),
        },
        tokens: this.#tokens,
        payload: 'body',
        schema: leaveRecordsPageSchema,
        // a token that does not move would page forever
        check: (p) =>
          p.nextToken !== undefined && p.nextToken === from ? 'nextToken: does not advance' : undefined,
        signal,
      });
      yield page.records;
      if (page.nextToken === undefined || page.nextToken === '') return;
      nextToken = page.nextToken;
    }
  }

  /** Employees of the whole organisation (ignores the authorised scope). */
  async countUsers(signal?: AbortSignal): Promise<number> {
    const r = await this.topapi('/topapi/user/count', { only_active: false }, userCountResultSchema, signal);
    return r.count;
  }

  private topapi<T>(
    path: string,
    body: Record<string, unknown>,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
    check?: (value: T) => string | undefined,
  ): Promise<T> {
    return this.#executor.call({
      api: 'oapi',
      baseUrl: this.#settings.oapiBaseUrl,
      method: 'POST',
      path,
      body,
      tokens: this.#tokens,
      payload: 'result',
      schema,
      check,
      signal,
    });
  }
}

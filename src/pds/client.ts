import type { Profile } from '../config/schema.js';
import type { CallStats } from '../http/call-stats.js';
import type { Logger } from '../process/logger.js';
import type { Pacer } from '../pacing/pacer.js';
import { accountCalls } from './accounts.js';
import { TokenProvider, type PdsTokenInfo } from './auth.js';
import { PdsCore } from './core.js';
import { groupCalls } from './groups.js';
import { DEFAULT_RETRY, pdsRetryPolicies, type PdsRetrySettings } from './retry.js';
import { PdsTransport } from './transport.js';
import type { PdsApi } from './types.js';
import { userCalls } from './users.js';

export interface PdsClientOptions {
  readonly settings: Profile['pds'];
  /** Shared pacing; every call takes a slot of key `pds:<domainId>` at `settings.qps`. */
  readonly pacer: Pacer;
  readonly log: Logger;
  readonly stats?: CallStats | undefined;
  /** Overrides of the retry policy (tests shorten the pauses). */
  readonly retry?: Partial<PdsRetrySettings> | undefined;
  /** Per-request timeout. @defaultValue 30000 */
  readonly timeoutMs?: number | undefined;
  /**
   * Clock for token lifetimes, assertion times and the comparison with PDS's `Date` headers.
   * @defaultValue Date.now
   */
  readonly now?: (() => number) | undefined;
  /** Jitter source in [0, 1). @defaultValue Math.random */
  readonly random?: (() => number) | undefined;
}

/** What `dtsync check` reports about the PDS credentials. */
export interface PdsCredentialsReport extends PdsTokenInfo {
  readonly clientId: string;
  /** The domain configured, to compare with the `domainId` PDS answered. */
  readonly configuredDomainId: string;
  /** PDS's clock minus ours (ms), by the token answer's `Date` header; undefined without one. */
  readonly clockOffsetMs: number | undefined;
}

/** The PDS API of the sync, and the credentials check of `dtsync check`. */
export interface PdsClient extends PdsApi {
  /** Gets a fresh token and reports its role and domain (a service token is `superadmin`). */
  checkCredentials(signal?: AbortSignal): Promise<PdsCredentialsReport>;
}

/**
 * The PDS 2022-03-01 client of the sync (users, groups, account links), authenticated as a JWT
 * application's service. It has no delete calls: the sync never deletes.
 */
export function createPdsClient(options: PdsClientOptions): PdsClient {
  const { settings, pacer, stats } = options;
  const now = options.now ?? Date.now;
  const log = options.log.child({ component: 'pds', domainId: settings.domainId });
  const transport = new PdsTransport({
    baseUrl: settings.baseUrl,
    domainId: settings.domainId,
    qps: settings.qps,
    pacer,
    log,
    stats,
    timeoutMs: options.timeoutMs,
    now,
  });
  const core = new PdsCore(
    transport,
    pdsRetryPolicies({ ...DEFAULT_RETRY, ...options.retry }, options.random ?? Math.random),
  );
  const tokens = new TokenProvider({ pds: settings, core, now });
  const call = core.apiCall(tokens);
  return {
    ...userCalls(call),
    ...groupCalls(call),
    ...accountCalls(call),
    tokenDomain: async (signal) => (await tokens.info(signal)).domainId,
    checkCredentials: async (signal) => ({
      ...(await tokens.fresh(signal)),
      clientId: settings.clientId,
      configuredDomainId: settings.domainId,
      clockOffsetMs: transport.clockOffsetMs,
    }),
  };
}

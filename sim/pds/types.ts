import type { SimCounters } from '../counters.js';
import type { KeyObject } from 'node:crypto';

/** A JSON object as stored and answered (users are kept exactly as created or seeded). */
export type JsonObject = Record<string, unknown>;

export interface PdsSimulatorOptions {
  /** 0 or undefined: a free port. Always bound to 127.0.0.1. */
  readonly port?: number | undefined;
  /** @defaultValue sim1 */
  readonly domainId?: string | undefined;
  /** The JWT application's id. @defaultValue dtsync-sim-app */
  readonly clientId?: string | undefined;
  /** The registered public key of the JWT application (SPKI PEM or a KeyObject). */
  readonly publicKey: string | KeyObject;
  /** `expires_in` of issued access tokens. @defaultValue 7200 */
  readonly tokenTtlSeconds?: number | undefined;
  /** Domain-wide QPS limit over any sliding second (the `qps` fault). @defaultValue none */
  readonly qps?: number | undefined;
  /** Users the domain may hold; a create beyond it is 400 QuotaExhausted. @defaultValue none */
  readonly userQuota?: number | undefined;
  /** Clock (ms) for token lifetimes, assertion checks and timestamps. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/** Paths a fault applies to; null = every API path except the token call. */
export type FaultPaths = readonly string[] | null;

/** The switchable faults (`GET/POST /_sim/faults`; a POST merges, `null` switches one off). */
export interface PdsFaults {
  /** Domain-wide limit over any sliding second, all paths; excess answered 429 `Throttling`. */
  readonly qps: number | null;
  /** Added before every API answer (token call included). */
  readonly latencyMs: number;
  /** The next `count` answers on `paths` are this error; nothing is applied. */
  readonly inject: {
    readonly count: number;
    readonly paths: FaultPaths;
    readonly status: number;
    readonly code: string;
    readonly message: string;
  } | null;
  /** Each answer on `paths` is `status` with probability `rate` (seeded PRNG); nothing is applied. */
  readonly errorRate: {
    readonly rate: number;
    readonly status: number;
    readonly paths: FaultPaths;
    readonly seed: number;
  } | null;
  /**
   * The next `count` successful writes on `paths` (null = every mutating path) are applied and
   * then answered `status` (503): the client cannot tell, so its retry must be idempotent.
   */
  readonly failAfterApply: {
    readonly count: number;
    readonly paths: FaultPaths;
    readonly status: number;
  } | null;
  /** The next `count` successful answers on `paths` have a truncated JSON body (status 200). */
  readonly malformed: { readonly count: number; readonly paths: FaultPaths } | null;
  /**
   * The next `count` answers on `paths` are a gateway error with no body, only
   * `x-ca-error-code` / `x-ca-error-message` / `x-ca-request-id`; nothing is applied.
   */
  readonly gatewayError: {
    readonly count: number;
    readonly paths: FaultPaths;
    readonly status: number;
    readonly code: string;
    readonly message: string;
  } | null;
  /** `lower`: `{code, message, request_id}` (SDKs); `pascal`: `{Code, Message, RequestId}` (docs). */
  readonly errorCasing: 'lower' | 'pascal';
  /** After this many more applied writes, every access token expires once (token expiry mid-apply). */
  readonly expireTokensAfterWrites: { readonly writes: number } | null;
}

/** `GET /_sim/counters`: both simulators' one shape (sim/counters.ts). */
export type PdsSimCounters = SimCounters;

export interface SimGroupState {
  readonly group_id: string;
  readonly group_name: string;
  readonly description: string;
  readonly parent_group_id: string | null;
  readonly is_root: boolean;
  readonly members: { readonly users: readonly string[]; readonly groups: readonly string[] };
  readonly created_at: number;
  readonly updated_at: number;
  readonly [extra: string]: unknown;
}

export interface SimLinkState {
  readonly user_id: string;
  readonly type: string;
  readonly identity: string;
  readonly extra?: string;
}

/** `GET /_sim/state`: the whole domain, in insertion order. */
export interface PdsSimState {
  readonly users: readonly JsonObject[];
  readonly groups: readonly SimGroupState[];
  readonly links: readonly SimLinkState[];
}

/**
 * `POST /_sim/state`: objects added as given (admins, hand-made users and groups, links), kept
 * byte-identical until a request changes them. Missing `role`, `status`, `user_data`,
 * `description`, `created_at`, `updated_at` are filled in. `replace: true` empties the domain first.
 */
export interface PdsSimSeed {
  readonly users?: readonly JsonObject[];
  readonly groups?: readonly (Partial<SimGroupState> & {
    readonly group_id: string;
    readonly group_name: string;
  })[];
  readonly links?: readonly SimLinkState[];
  readonly replace?: boolean;
}

export interface PdsSimulatorControl {
  counters(): PdsSimCounters;
  resetCounters(): void;
  faults(): PdsFaults;
  /** Merges `patch` into the faults (`null` switches one off) and returns the result. */
  setFaults(patch: unknown): PdsFaults;
  /** Every access token issued so far stops working now (the "token expiry mid-run" fault). */
  expireTokens(): void;
  state(): PdsSimState;
  seed(seed: unknown): { users: number; groups: number; links: number };
  /** Test aid: the assertions and access tokens seen, to prove none of them reaches a log. */
  secretsSeen(): { assertions: readonly string[]; accessTokens: readonly string[] };
}

export interface PdsSimulator {
  readonly url: string;
  readonly domainId: string;
  readonly clientId: string;
  readonly control: PdsSimulatorControl;
  close(): Promise<void>;
}

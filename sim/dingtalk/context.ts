import type { IncomingHttpHeaders } from 'node:http';
import type { SimResponse } from './envelope.js';
import type { DingTalkFaults } from './faults.js';
import type { OrgStore } from './org-store.js';
import type { Rng } from '../prng.js';
import type { TokenStore } from './tokens.js';

export interface SimRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there is none or it is not JSON. */
  readonly body: unknown;
}

/** Everything the routes share; `faults` is replaced as a whole by `POST /_sim/faults`. */
export interface SimState {
  readonly store: OrgStore;
  faults: DingTalkFaults;
  readonly tokens: TokenStore;
  readonly appKey: string;
  readonly appSecret: string;
  /** Seeded randomness for fault rates and generated hires. */
  readonly rng: Rng;
  readonly seed: number;
  /** Next sequence number for a hired user's generated fields and userid. */
  nextUserSeq: number;
}

export type Route = (req: SimRequest, state: SimState) => SimResponse;

export interface RouteDef {
  /** `oapi`: HTTP 200 + errcode envelopes; `api`: HTTP 4xx + code (api.dingtalk.com). */
  readonly api: 'oapi' | 'api';
  readonly handler: Route;
}

/** A JSON object body, or undefined. */
export function bodyObject(req: SimRequest): Record<string, unknown> | undefined {
  const b = req.body;
  return typeof b === 'object' && b !== null && !Array.isArray(b)
    ? (b as Record<string, unknown>)
    : undefined;
}

/**
 * An integer parameter as TOP-SDK's request checks read it: `missing`, `invalid` (not an
 * integer, or outside [min, max]) or the number.
 */
export function intParam(
  body: Record<string, unknown> | undefined,
  key: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | 'missing' | 'invalid' {
  const v = body?.[key];
  if (v === undefined || v === null) return 'missing';
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return 'invalid';
  return v;
}

/** Departments the app may read (`authed_dept`), or undefined for the whole organisation. */
export function authedDepartments(state: SimState): ReadonlySet<number> | undefined {
  return state.faults.authedDept === null ? undefined : new Set(state.faults.authedDept);
}

export function departmentInScope(state: SimState, deptId: number): boolean {
  const authed = authedDepartments(state);
  return authed === undefined || state.store.inScope(deptId, authed);
}

export function userInScope(state: SimState, userid: string, deptIds: readonly number[]): boolean {
  const authed = authedDepartments(state);
  if (authed === undefined || state.faults.authedUser.includes(userid)) return true;
  return deptIds.some((id) => state.store.inScope(id, authed));
}

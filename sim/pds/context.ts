import type { DomainState } from './state.js';
import type { JsonObject } from './types.js';
import type { Body } from './validate.js';

/** What the API handlers share. */
export interface SimContext {
  readonly state: DomainState;
  readonly domainId: string;
  readonly clientId: string;
  readonly userQuota: number | undefined;
  readonly now: () => number;
}

/** One API path. `handle` applies the call and returns the 200 body (undefined: 204, no body). */
export interface Route {
  /** Mutating paths: counted as writes, subject to the fail-after-apply fault. */
  readonly write: boolean;
  handle(body: Body): JsonObject | undefined;
}

export type Routes = Readonly<Record<string, Route>>;

/** A group as answered by the API: no parent field, no members (the reference's Group). */
export function groupObject(ctx: SimContext, obj: JsonObject): JsonObject {
  return { domain_id: ctx.domainId, ...obj };
}

export function userObject(ctx: SimContext, obj: JsonObject): JsonObject {
  return { domain_id: ctx.domainId, ...obj };
}

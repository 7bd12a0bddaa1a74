import type { RunReport } from '../src/report/types.js';
import type { SimCounters } from '../sim/counters.js';
import type { Org } from './independent-check.js';

export type { SimCounters } from '../sim/counters.js';

const TOKEN_PATHS = new Set(['/gettoken', '/v1.0/oauth2/accessToken', '/v2/oauth/token']);
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Admitted token calls (the legacy and the v1.0 token API). */
export function dingtalkTokenCalls(c: SimCounters): number {
  let n = 0;
  for (const [path, k] of Object.entries(c.calls))
    if (TOKEN_PATHS.has(path)) n += k - (c.throttled[path] ?? 0);
  return n;
}

/**
 * DingTalk's minimal read budget for `runs` full walks of the whole org, computed from the org
 * itself: per run auth/scopes, the root's department/get, one listsub per department and
 * Σ⌈users/100⌉ user/list (at least one per department); plus at most one token per run. A
 * long-lived worker whose cached token is still valid needs none, so the token part is the
 * tokens actually fetched, capped at one per run (any beyond that shows as excess).
 */
export function dingtalkMinimalCalls(org: Org, runs: number, tokenCalls: number): number {
  const members = new Map<number, number>();
  for (const d of org.departments) members.set(d.dept_id, 0);
  for (const u of org.users) for (const d of u.dept_id_list) members.set(d, (members.get(d) ?? 0) + 1);
  let userList = 0;
  for (const n of members.values()) userList += Math.max(1, Math.ceil(n / 100));
  return runs * (1 + 1 + org.departments.length + userList) + Math.min(tokenCalls, runs);
}

/** Writes the plans called for, from the run reports (users and links created, etc.). */
export function pdsMinimalWrites(reports: readonly Pick<RunReport, 'counts'>[]): number {
  let n = 0;
  for (const r of reports) {
    const c = r.counts;
    n += c.created + c.updated + c.disabled + c.adopted + c.groupsCreated + c.groupsUpdated;
    n += c.membershipsAdded + c.membershipsRemoved + c.linksAdded + c.linksRemoved;
  }
  return n;
}

export interface DomainCounters {
  readonly reads: number;
  readonly writes: number;
  /** Writes answered 429 or 5xx: retried, not applied. */
  readonly retriedWrites: number;
  readonly throttled: number;
}

/** Admitted reads and writes of one PDS domain, the token call excluded. */
export function pdsDomainCounters(c: SimCounters): DomainCounters {
  let writes = 0;
  let reads = 0;
  let retriedWrites = 0;
  for (const [path, n] of Object.entries(c.calls)) {
    if (TOKEN_PATHS.has(path)) continue;
    const isWrite = (c.writes[path] ?? 0) > 0;
    const statuses = c.byStatus[path] ?? {};
    let notApplied = 0;
    for (const [status, k] of Object.entries(statuses))
      if (status === '429' || status.startsWith('5')) notApplied += k;
    if (isWrite) {
      writes += n;
      retriedWrites += notApplied;
    } else reads += n - (statuses['429'] ?? 0);
  }
  return { reads, writes, retriedWrites, throttled: total(c.throttled) };
}

/**
 * The physical floor of a phase: reads of both services overlap (max of DingTalk's busiest API
 * and PDS reads), writes start only after the complete snapshot. With several domains, each has
 * its own PDS limit, so the slowest domain counts; the DingTalk limit is shared by every profile.
 */
export function floorSeconds(
  dingtalk: SimCounters,
  dingtalkQps: number,
  domains: readonly DomainCounters[],
  pdsQps: number,
): number {
  let dt = 0;
  for (const [path, n] of Object.entries(dingtalk.calls)) {
    if (TOKEN_PATHS.has(path)) continue;
    dt = Math.max(dt, (n - (dingtalk.throttled[path] ?? 0)) / dingtalkQps);
  }
  const reads = Math.max(0, ...domains.map((d) => d.reads / pdsQps));
  const writes = Math.max(0, ...domains.map((d) => (d.writes - d.retriedWrites) / pdsQps));
  return Math.max(dt, reads) + writes;
}

export const sumCalls = total;

/**
 * What the strategies public syncers use would cost, from the same counters and limits:
 * department by department, one call at a time (the APIs and the two services no longer
 * overlap), and per-user detail calls (N+1: listsimple pages, then v2/user/get per user).
 */
export function naiveStrategies(
  dingtalk: SimCounters,
  dingtalkQps: number,
  domains: readonly DomainCounters[],
  pdsQps: number,
  users: number,
) {
  let dtSequential = 0;
  let dtCalls = 0;
  for (const [path, n] of Object.entries(dingtalk.calls)) {
    const admitted = n - (dingtalk.throttled[path] ?? 0);
    dtCalls += admitted;
    if (!TOKEN_PATHS.has(path)) dtSequential += admitted / dingtalkQps;
  }
  const pdsReads = Math.max(0, ...domains.map((d) => d.reads / pdsQps));
  const pdsWrites = Math.max(0, ...domains.map((d) => (d.writes - d.retriedWrites) / pdsQps));
  const listsub = dingtalk.calls['/topapi/v2/department/listsub'] ?? 0;
  const userList = dingtalk.calls['/topapi/v2/user/list'] ?? 0;
  return {
    sequentialFloorSeconds: Math.round((dtSequential + pdsReads + pdsWrites) * 100) / 100,
    nPlusOneCalls: dtCalls + users,
    nPlusOneFloorSeconds:
      Math.round((Math.max(listsub, userList, users) / dingtalkQps + pdsWrites) * 100) / 100,
  };
}

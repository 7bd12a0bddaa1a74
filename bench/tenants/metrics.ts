import { scopeDepartments, type Org } from '../independent-check.js';
import type { DomainCounters, SimCounters } from '../metrics.js';

const TOKEN_PATHS = new Set(['/gettoken', '/v1.0/oauth2/accessToken']);

/**
 * DingTalk's minimal read budget of one walk of a department scope (with its sub-departments):
 * auth/scopes, the root's department/get, one listsub per department of the scope and
 * Σ⌈members/100⌉ user/list (at least one per department). Tokens are counted apart.
 */
export function scopedMinimalCalls(org: Org, scopeRoot: number): number {
  const inScope = scopeDepartments(org, { departmentIds: [scopeRoot], includeSubDepartments: true });
  const members = new Map<number, number>([...inScope].map((d) => [d, 0]));
  for (const u of org.users)
    for (const d of u.dept_id_list) if (members.has(d)) members.set(d, (members.get(d) ?? 0) + 1);
  let userList = 0;
  for (const n of members.values()) userList += Math.max(1, Math.ceil(n / 100));
  return 2 + inScope.size + userList;
}

/** Admitted calls of one app's busiest API divided by its QPS: how long its walks need at least. */
export function appFloorSeconds(c: SimCounters, qps: number): number {
  let most = 0;
  for (const [path, n] of Object.entries(c.calls))
    if (!TOKEN_PATHS.has(path)) most = Math.max(most, n - (c.throttled[path] ?? 0));
  return most / qps;
}

/** A domain's reads, then its writes, at its QPS: one run's time at least (reads and writes do not overlap). */
export const domainFloorSeconds = (d: DomainCounters, qps: number) =>
  (d.reads + d.writes - d.retriedWrites) / qps;

/** Admitted calls of all APIs of one app. */
export const admittedCalls = (c: SimCounters) =>
  Object.entries(c.calls).reduce((a, [path, n]) => a + n - (c.throttled[path] ?? 0), 0);

/** The most events in one whole minute (or other bucket) counted from `t0`. */
export function busiestBucket(times: readonly number[], t0: number, bucketMs: number): number {
  const counts = new Map<number, number>();
  for (const t of times) {
    const b = Math.floor((t - t0) / bucketMs);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

/** The value at quantile q (0–1) of `xs`. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

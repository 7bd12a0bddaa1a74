import type { HeldReason, HoldCode } from './held-reason.js';

/** Sizes of a complete source snapshot. */
export interface SourceCounts {
  readonly users: number;
  readonly departments: number;
}

/** What the snapshot is compared with: the last complete one of the same scope, else PDS. */
export type Baseline =
  | { readonly kind: 'lastComplete'; readonly counts: SourceCounts; readonly at: string }
  | { readonly kind: 'managedEnabled'; readonly users: number };

/** Why a pre-flight held a run: a stable code, and the reason as catalog data (`hold.<code>`). */
export type PreflightCode = Exclude<HoldCode, 'disable_limit' | 'disable_budget'>;

export type PreflightResult =
  { readonly ok: true } | { readonly ok: false; readonly code: PreflightCode; readonly reason: HeldReason };

const dropPercent = (before: number, now: number) => (before <= 0 ? 0 : ((before - now) * 100) / before);

/**
 * Completeness pre-flight: a snapshot much smaller than what was seen before is more likely a
 * broken permission or a half-authorised app than a mass exodus, so it holds the whole run.
 */
export function checkSourceDrop(
  now: SourceCounts,
  baseline: Baseline,
  maxDropPercent: number,
): PreflightResult {
  const checks: [string, number, number][] =
    baseline.kind === 'lastComplete'
      ? [
          ['users', baseline.counts.users, now.users],
          ['departments', baseline.counts.departments, now.departments],
        ]
      : [['users', baseline.users, now.users]];
  for (const [what, before, current] of checks) {
    const drop = dropPercent(before, current);
    if (drop > maxDropPercent) {
      const params = {
        what,
        percent: drop.toFixed(1),
        before,
        now: current,
        max: maxDropPercent,
        against: baseline.kind,
        ...(baseline.kind === 'lastComplete' ? { at: baseline.at } : {}),
      };
      return { ok: false, code: 'source_drop', reason: { code: 'source_drop', params } };
    }
  }
  return { ok: true };
}

/** A managed user, as far as the overlap guard needs it. */
export interface ManagedIdentity {
  readonly userid: string;
  readonly unionid: string | undefined;
  readonly enabled: boolean;
}

/**
 * Organisation guard: a snapshot that holds few of the people this profile already manages is
 * more likely another company's DingTalk app (a swapped appKey) than a real turnover, so it
 * holds the whole run; otherwise its people would be created here before anyone looked. A
 * person counts as present when the userid matches and, where both sides know it, the unionid
 * too (userids of two organisations can collide; unionids do not). No managed users: no guard.
 */
export function checkOverlap(
  managed: Iterable<ManagedIdentity>,
  sourceUnionid: (userid: string) => string | undefined | null,
  minOverlapPercent: number,
): PreflightResult {
  let total = 0;
  let present = 0;
  for (const m of managed) {
    if (!m.enabled) continue;
    total++;
    const union = sourceUnionid(m.userid);
    if (union === null) continue; // not in the snapshot
    if (m.unionid === undefined || union === undefined || union === m.unionid) present++;
  }
  if (total === 0) return { ok: true };
  const percent = (present * 100) / total;
  if (percent >= minOverlapPercent) return { ok: true };
  return {
    ok: false,
    code: 'foreign_org',
    reason: {
      code: 'foreign_org',
      params: { percent: percent.toFixed(1), present, total, min: minOverlapPercent },
    },
  };
}

/**
 * Scope guard: when the scope a profile syncs changed since its last complete run (the
 * configured scope, or the departments and people the DingTalk app may read) and the run would
 * disable anyone, the run is held. A narrowed app scope hides people who are still employees;
 * a change that small passes the other gates, and those people would be locked out.
 */
export function checkScopeChange(
  lastScope: string | undefined,
  scopeNow: string,
  disables: number,
): PreflightResult {
  if (lastScope === undefined || lastScope === scopeNow || disables === 0) return { ok: true };
  return { ok: false, code: 'scope_changed', reason: { code: 'scope_changed', params: { disables } } };
}

/** Sizes of a complete source snapshot. */
export interface SourceCounts {
  readonly users: number;
  readonly departments: number;
}

/** What the snapshot is compared with: the last complete one of the same scope, else PDS. */
export type Baseline =
  | { readonly kind: 'lastComplete'; readonly counts: SourceCounts; readonly at: string }
  | { readonly kind: 'managedEnabled'; readonly users: number };

export type PreflightResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

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
      const against =
        baseline.kind === 'lastComplete'
          ? `the last complete snapshot (${baseline.at})`
          : 'the enabled users this profile manages in PDS';
      return {
        ok: false,
        reason: `source ${what} dropped ${drop.toFixed(1)}% (${before} → ${current}) against ${against}, more than maxSourceDropPercent ${maxDropPercent}%: check the DingTalk app's permissions and scope, then approve if the drop is real`,
      };
    }
  }
  return { ok: true };
}

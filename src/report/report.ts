import type { RunReport } from './types.js';
import { translator } from '../i18n/catalog.js';
import { heldText } from './words.js';

/** The run's log line is for engineers: English. */
const ENGLISH = translator('en');

/** The one summary line a run writes. A dry run tells what it would do (the plan), not 0s. */
export function summaryLine(r: RunReport): string {
  const tail =
    r.status === 'failed'
      ? `: ${r.error?.message ?? 'failed'}`
      : r.status === 'held'
        ? `: ${r.heldReason === undefined ? '' : heldText(r.heldReason, ENGLISH)}`
        : '';
  const recovered =
    r.recovered === undefined
      ? ''
      : ` (recovered: counts include attempt ${r.recovered.fromAttempts.join(', ')} of this run)`;
  if (r.dryRun) {
    const p = r.planned;
    const plan =
      p === undefined
        ? 'nothing planned'
        : `would create ${p.created}, update ${p.updated}, disable ${p.disabled}, adopt ${p.adopted}; ` +
          `${r.counts.unchanged} unchanged, ${r.counts.reentered} re-entered, ${p.failed} would fail; ` +
          `groups: would create ${p.groupsCreated}, rename ${p.groupsUpdated}; ` +
          `memberships +${p.membershipsAdded}/-${p.membershipsRemoved} (${p.membershipOnly} membership-only); ` +
          `links +${p.linksAdded}/-${p.linksRemoved}`;
    return `dry run ${r.status} (planned, nothing written): ${plan}${tail}`;
  }
  const c = r.counts;
  return (
    `sync run ${r.status}: ${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.unchanged} unchanged, ` +
    `${c.reentered} re-entered, ${c.adopted} adopted, ${c.failed} failed; groups ${c.groupsCreated} created, ` +
    `${c.groupsUpdated} renamed; memberships +${c.membershipsAdded}/-${c.membershipsRemoved} (${c.membershipOnly} membership-only); ` +
    `links +${c.linksAdded}/-${c.linksRemoved}` +
    recovered +
    tail
  );
}

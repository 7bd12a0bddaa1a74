import type { SyncSettings } from '../config/schema.js';
import { baseUrlKey, domainIdKey } from '../config/pds-domain.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { PreflightResult } from './preflight.js';

/*
 * Guards of the PDS side. The organisation guard (preflight.ts) catches another company's
 * DingTalk app; these catch another company's PDS domain: its people's personal data copied
 * into the wrong tenant is a disclosure, not a mistake to repair on the next run.
 */

/** The PDS domain a run writes to: the token answer's `domain_id`, and the configured base URL. */
export interface TargetDomain {
  readonly domainId: string;
  readonly baseUrl: string;
}

/** The domain of a profile's last complete run, and when that run started. */
export interface RecordedTarget extends TargetDomain {
  readonly at: string;
}

/** A base URL moved while the domain stayed (a VPC endpoint): worth a notice, not a hold. */
export interface TargetMoved {
  readonly from: string;
  readonly to: string;
  readonly domainId: string;
}

/**
 * Domain guard: a token for another domain than the one the last complete run wrote to means
 * the pds block now points at another tenant (a copied config, a swapped clientId), so the run
 * is held whole before any write. Ids compare as PDS reads them, case-insensitively. Nothing
 * recorded (a first run, or an answer without `domain_id`): no guard.
 */
export function checkTarget(
  recorded: RecordedTarget | undefined,
  now: TargetDomain | undefined,
): PreflightResult {
  if (recorded === undefined || now === undefined) return { ok: true };
  if (domainIdKey(recorded.domainId) === domainIdKey(now.domainId)) return { ok: true };
  return {
    ok: false,
    code: 'target_changed',
    reason: {
      code: 'target_changed',
      params: { now: now.domainId, recorded: recorded.domainId, at: recorded.at },
    },
  };
}

/** The same domain behind another base URL than the last complete run's. */
export function targetMoved(
  recorded: RecordedTarget | undefined,
  now: TargetDomain | undefined,
): TargetMoved | undefined {
  if (recorded === undefined || now === undefined) return undefined;
  if (domainIdKey(recorded.domainId) !== domainIdKey(now.domainId)) return undefined;
  if (baseUrlKey(recorded.baseUrl) === baseUrlKey(now.baseUrl)) return undefined;
  return { from: recorded.baseUrl, to: now.baseUrl, domainId: now.domainId };
}

/**
 * First-run guard: a profile that manages no one yet, pointed at a domain where many enabled
 * people already have accounts nobody manages, with `adoptExisting` off, would give each of
 * them a second account. Held whole, unless the run creates no one.
 */
export function checkPopulatedDomain(
  target: TargetSnapshot,
  creates: number,
  adoptExisting: SyncSettings['adoptExisting'],
  maxFirstRunUnmanaged: number,
): PreflightResult {
  if (adoptExisting !== 'off' || target.managed.size > 0 || creates === 0) return { ok: true };
  let unmanaged = 0;
  for (const x of target.others.values())
    if (x.managedBy === undefined && x.status === 'enabled') unmanaged++;
  if (unmanaged <= maxFirstRunUnmanaged) return { ok: true };
  return {
    ok: false,
    code: 'populated_domain',
    reason: { code: 'populated_domain', params: { unmanaged, max: maxFirstRunUnmanaged } },
  };
}

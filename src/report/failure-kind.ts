import { PdsError, type PdsErrorKind } from '../errors/pds-error.js';
import { RecordFailure, type FailureKind } from '../errors/record-failure.js';
import type { PlannedFailure } from '../plan/types.js';

/*
 * The stable kind of a failed record: what the console's import results would say, and what
 * `--json` and the pages key their text on. Read from what the failure already is (the PDS
 * error's kind, the planner's code), never decided again from remote codes; the remote code stays
 * beside it for support.
 */

/** What a record failed on, per PDS kind. */
const PDS_FAILURE: Readonly<Record<PdsErrorKind, FailureKind>> = {
  network: 'remote_unavailable',
  malformed: 'remote_error',
  key: 'remote_error',
  credentials: 'remote_error',
  clock_skew: 'remote_error',
  forbidden: 'forbidden',
  throttled: 'remote_unavailable',
  server: 'remote_unavailable',
  quota: 'quota_exhausted',
  invalid: 'invalid_value',
  not_found: 'remote_error',
  exists: 'remote_error',
  other: 'remote_error',
};

/** What a failure the planner found before any write stands for. */
export const PLANNED_FAILURE_KIND: Readonly<Record<PlannedFailure['code'], FailureKind>> = {
  UserIdTaken: 'user_id_taken',
  UserDataTooLong: 'user_data_too_long',
  AmbiguousAdoption: 'ambiguous_adoption',
  AdoptionIdentityReused: 'identity_reused',
  AdoptionUnverified: 'adoption_unverified',
};

/** The kind of a record whose write threw `err`: a known reason, a PDS error, or the cancellation. */
export function failureKindOf(err: unknown): FailureKind {
  if (err instanceof RecordFailure) return err.kind;
  if (err instanceof PdsError) return PDS_FAILURE[err.kind];
  if (err instanceof Error && err.name === 'AbortError') return 'aborted';
  return 'remote_error';
}

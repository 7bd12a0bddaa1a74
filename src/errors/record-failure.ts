import type { Params } from '../i18n/catalog.js';

/** Why a record failed, as a stable code (the message catalog words it; see report/failure-kind.ts). */
export type FailureKind =
  | 'phone_taken'
  | 'ding_taken'
  | 'user_id_taken'
  | 'user_data_too_long'
  | 'ambiguous_adoption'
  | 'identity_reused'
  | 'adoption_unverified'
  | 'quota_exhausted'
  | 'forbidden'
  | 'invalid_value'
  | 'remote_unavailable'
  | 'aborted'
  | 'remote_error';

/**
 * One record failed for a reason apply knows (a link another user holds, a user id taken by a
 * user this sync does not manage): its kind, the values its words need, and an English detail.
 * It ends that record only; the run goes on.
 */
export class RecordFailure extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
    readonly kind: FailureKind,
    readonly params: Params,
  ) {
    super(reason);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

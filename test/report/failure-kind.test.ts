import { describe, expect, it } from '@jest/globals';
import { PdsError } from '../../src/errors/pds-error.js';
import { verdict, type PdsFailure } from '../../src/pds/classify.js';
import { failureKindOf, PLANNED_FAILURE_KIND } from '../../src/report/failure-kind.js';

/** The error a write ends with on this answer, as the PDS client's classification makes it. */
const failed = (failure: PdsFailure) =>
  new PdsError('test', { path: '/v2/user/create', code: 'Code', ...verdict(failure) });
const answer = (status: number, code: string): PdsFailure => ({ type: 'answer', status, code });

describe('every failed record gets a stable reason code', () => {
  it.each([
    ['400 QuotaExhausted.User', answer(400, 'QuotaExhausted.User'), 'quota_exhausted'],
    ['403 Forbidden.User', answer(403, 'Forbidden.User'), 'forbidden'],
    ['403 AccessDenied', answer(403, 'AccessDenied'), 'forbidden'],
    ['400 InvalidParameter.Phone', answer(400, 'InvalidParameter.Phone'), 'invalid_value'],
    ['400 InvalidParameterMissing', answer(400, 'InvalidParameterMissing'), 'invalid_value'],
    ['429 Throttling, retries spent', answer(429, 'Throttling'), 'remote_unavailable'],
    ['503 ServiceUnavailable, retries spent', answer(503, 'ServiceUnavailable'), 'remote_unavailable'],
    ['500 InternalError, retries spent', answer(500, 'InternalError'), 'remote_unavailable'],
    ['no answer, retries spent', { type: 'network' } as const, 'remote_unavailable'],
    ['400 SomethingNew', answer(400, 'SomethingNew'), 'remote_error'],
  ])('a write that ended on %s → %s', (_what, failure, kind) => {
    expect(failureKindOf(failed(failure))).toBe(kind);
  });

  it('a cancelled write is aborted; anything else is a remote error', () => {
    const abort = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    expect(failureKindOf(abort)).toBe('aborted');
    expect(failureKindOf(new Error('boom'))).toBe('remote_error');
  });

  it('a failure the planner found keeps its own kind', () => {
    expect(PLANNED_FAILURE_KIND).toEqual({
      UserIdTaken: 'user_id_taken',
      UserDataTooLong: 'user_data_too_long',
      AmbiguousAdoption: 'ambiguous_adoption',
      AdoptionIdentityReused: 'identity_reused',
      AdoptionUnverified: 'adoption_unverified',
    });
  });
});

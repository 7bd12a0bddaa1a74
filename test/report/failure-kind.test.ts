import { describe, expect, it } from '@jest/globals';
import { failureKindOf } from '../../src/report/failure-kind.js';

describe('every failed record gets a stable reason code', () => {
  it.each([
    ['UserIdTaken', 'user_id_taken'],
    ['AlreadyExist.User', 'user_id_taken'],
    ['UserDataTooLong', 'user_data_too_long'],
    ['AmbiguousAdoption', 'ambiguous_adoption'],
    ['QuotaExhausted.User', 'quota_exhausted'],
    ['Forbidden.User', 'forbidden'],
    ['InvalidParameter.Phone', 'invalid_value'],
    ['Throttling', 'remote_unavailable'],
    ['ServiceUnavailable', 'remote_unavailable'],
    ['InternalError', 'remote_unavailable'],
    ['Aborted', 'aborted'],
    ['SomethingNew', 'remote_error'],
    ['Error', 'remote_error'],
  ])('%s → %s', (code, kind) => {
    expect(failureKindOf(code)).toBe(kind);
  });
});

import type { FailureKind } from './types.js';

/**
 * The stable kind of a failed record, from its remote (or planner) code: what the console's
 * import results would say, and what `--json` and the pages key their text on. The remote
 * code stays beside it for support.
 */
export function failureKindOf(code: string): FailureKind {
  const is = (prefix: string) => code === prefix || code.startsWith(`${prefix}.`);
  if (code === 'UserIdTaken' || is('AlreadyExist.User')) return 'user_id_taken';
  if (code === 'UserDataTooLong') return 'user_data_too_long';
  if (code === 'AmbiguousAdoption') return 'ambiguous_adoption';
  if (is('QuotaExhausted')) return 'quota_exhausted';
  if (is('Forbidden') || is('AccessDenied')) return 'forbidden';
  if (is('InvalidParameter') || is('Invalid') || is('MissingParameter')) return 'invalid_value';
  if (is('Throttling') || is('ServiceUnavailable') || is('InternalError') || code === 'Timeout')
    return 'remote_unavailable';
  if (code === 'Aborted') return 'aborted';
  return 'remote_error';
}

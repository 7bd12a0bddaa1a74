import { PdsError } from '../errors/pds-error.js';
import { RemoteError } from '../errors/remote-error.js';
import { maskPhone } from '../report/mask.js';

/** The remote code of an error, for the failure record. */
export function codeOf(err: unknown): string {
  if (err instanceof RemoteError) return err.code;
  if (err instanceof Error && err.name === 'AbortError') return 'Aborted';
  return 'Error';
}

/** Failure reasons read like the console's import results. */
export function reasonOf(err: unknown, what: string): string {
  if (err instanceof RemoteError) {
    if (err instanceof PdsError && err.kind === 'quota')
      return `${what}: the PDS domain's user quota is exhausted`;
    if (err instanceof PdsError && err.kind === 'forbidden')
      return `${what}: PDS refused it (${err.code}): the JWT application may lack permission`;
    return `${what}: PDS answered ${err.code}${err.httpStatus === undefined ? '' : ` (HTTP ${err.httpStatus})`}: ${err.message}`;
  }
  return `${what}: ${err instanceof Error ? err.message : String(err)}`;
}

export const linkTakenReason = (type: string, identity: string, owner: string | undefined): string =>
  type === 'mobile'
    ? `phone ${maskPhone(identity) ?? ''} is already linked to another user${owner === undefined ? '' : ` (${owner})`}`
    : `DingTalk account is already linked to another user${owner === undefined ? '' : ` (${owner})`}`;

/**
 * Errors that end the whole run instead of one record: the run was cancelled, or PDS no
 * longer accepts our credentials or our clock (every further record would fail the same way).
 */
export function isRunFatal(err: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted === true) return true;
  return (
    err instanceof PdsError && err.permanent && (err.kind === 'credentials' || err.kind === 'clock_skew')
  );
}

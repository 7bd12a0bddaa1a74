import { hasRemoteCode, RemoteError } from './remote-error.js';

/** Codes the client itself gives to failures that carry no remote code. */
export const LocalCode = {
  /** No HTTP answer at all: refused, reset, DNS, timeout. */
  Network: 'NetworkError',
  /** A 2xx answer whose body is not what the reference says. */
  Malformed: 'MalformedResponse',
} as const;

/**
 * A failed PDS call. It carries the API path, the remote code, the HTTP status and the request
 * id, never anything of the request itself (headers, body, token): it is logged and stored as is.
 */
export class PdsError extends RemoteError {
  readonly service = 'pds' as const;
}

/** Create conflict (`AlreadyExist`, `AlreadyExist.User`, …): apply treats it as "exists". */
export const isAlreadyExist = (err: unknown): err is PdsError => hasRemoteCode(err, 'pds', 'AlreadyExist');

/**
 * `NotFound[.x]`. Matched on the code only, not on a bare 404: a 404 from a wrong base URL or a
 * proxy must not look like "this user does not exist".
 */
export const isNotFound = (err: unknown): err is PdsError => hasRemoteCode(err, 'pds', 'NotFound');

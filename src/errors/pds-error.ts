import { RemoteError, type RemoteErrorInit } from './remote-error.js';

/** Codes the client itself gives to failures that carry no remote code. */
export const LocalCode = {
  /** No HTTP answer at all: refused, reset, DNS, timeout. */
  Network: 'NetworkError',
  /** A 2xx answer whose body is not what the reference says. */
  Malformed: 'MalformedResponse',
} as const;

/**
 * What a PDS failure means, decided once by the client's classification (`pds/classify.ts`):
 * the run's problem, a record's failure kind and its English reason are read from it.
 */
export const PDS_ERROR_KINDS = [
  /** No answer: refused, reset, DNS, timeout. */
  'network',
  /** A 2xx body that is not what the reference says. */
  'malformed',
  /** The configured private key is unusable. */
  'key',
  /** The token endpoint refused the JWT application, or a fresh token was refused. */
  'credentials',
  /** The token endpoint refused the assertion while this server's clock is far off PDS's. */
  'clock_skew',
  /** Not allowed (403, `Forbidden…`, `AccessDenied…`): an admin must grant it. */
  'forbidden',
  /** 429: still throttled when the retries were spent. */
  'throttled',
  /** 5xx: still failing when the retries were spent. */
  'server',
  /** The domain's user quota is reached. */
  'quota',
  /** A parameter PDS refused (`InvalidParameter…`, `MissingParameter`). */
  'invalid',
  /** `NotFound[.x]`: matched on the code, never on a bare 404. */
  'not_found',
  /** `AlreadyExist[.x]`: a create conflict. */
  'exists',
  /** Any other answer. */
  'other',
] as const;

export type PdsErrorKind = (typeof PDS_ERROR_KINDS)[number];

export interface PdsErrorDetails extends RemoteErrorInit {
  readonly kind: PdsErrorKind;
  /** PDS's clock minus ours (ms), by the `Date` header of the answer that ended the call. */
  readonly clockOffsetMs?: number | undefined;
}

/**
 * A failed PDS call. It carries the API path, the remote code, the HTTP status and the request
 * id, never anything of the request itself (headers, body, token): it is logged and stored as is.
 */
export class PdsError extends RemoteError {
  readonly service = 'pds' as const;
  readonly kind: PdsErrorKind;
  readonly clockOffsetMs: number | undefined;

  constructor(message: string, details: PdsErrorDetails) {
    super(message, details);
    this.kind = details.kind;
    this.clockOffsetMs = details.clockOffsetMs;
  }
}

/** Create conflict (`AlreadyExist`, `AlreadyExist.User`, …): apply treats it as "exists". */
export const isAlreadyExist = (err: unknown): err is PdsError =>
  err instanceof PdsError && err.kind === 'exists';

/**
 * `NotFound[.x]`. Matched on the code only, not on a bare 404: a 404 from a wrong base URL or a
 * proxy must not look like "this user does not exist".
 */
export const isNotFound = (err: unknown): err is PdsError =>
  err instanceof PdsError && err.kind === 'not_found';

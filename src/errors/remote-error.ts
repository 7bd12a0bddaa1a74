/*
 * The typed errors of both remote clients live in this one folder, one class per file (bullmq's
 * `classes/errors`): apply, the engine and `dtsync check` handle DingTalk and PDS failures side by
 * side through `RemoteError`. The folder imports neither client: what is worth retrying is each
 * client's knowledge of its API, decided in `dingtalk/classify.ts` and `pds/classify.ts`.
 */

/** Which remote service an error came from. */
export type RemoteService = 'dingtalk' | 'pds';

/** What every remote error carries: nothing of the request but its API path. */
export interface RemoteErrorInit {
  /** The API path only: never the query string (it may hold a secret or a token). */
  readonly path: string;
  /** The remote code, or one the client gives a failure that carries none. */
  readonly code: string;
  /** An operator must act (credentials, permissions, configuration): re-running would not help. */
  readonly permanent: boolean;
  /**
   * The client retries failures of this kind (throttling, 5xx, no answer): thrown, its attempts
   * were spent. Set from the client's classification (`dingtalk/classify.ts`, `pds/classify.ts`).
   */
  readonly retryable: boolean;
  readonly httpStatus?: number | undefined;
  readonly requestId?: string | undefined;
}

/**
 * Base of the typed errors of the remote clients. It carries the remote code, the HTTP status,
 * the request id and the API path, and nothing else of the request: never a query string,
 * header, body or token.
 */
export abstract class RemoteError extends Error {
  abstract readonly service: RemoteService;
  readonly path: string;
  readonly code: string;
  readonly permanent: boolean;
  readonly retryable: boolean;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, init: RemoteErrorInit) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
    this.path = init.path;
    this.code = init.code;
    this.permanent = init.permanent;
    this.retryable = init.retryable;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
  }
}

/**
 * The one rule for matching a remote code: `prefix` itself, or `prefix` with a resource suffix
 * (PDS answers `AlreadyExist.User`, `NotFound.Account`; reference §5 "match by prefix").
 */
export function codeMatches(code: string, prefix: string): boolean {
  return code === prefix || code.startsWith(`${prefix}.`);
}

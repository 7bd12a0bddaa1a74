/*
 * The typed errors of both remote clients live in this one folder, one class per file (bullmq's
 * `classes/errors`): apply, the engine and `dtsync check` handle DingTalk and PDS failures side by
 * side through `RemoteError`. The folder imports neither client: what is worth retrying is each
 * client's knowledge of its API, decided in `dingtalk/classify.ts` and `pds/classify.ts`.
 */

/** Which remote service an error came from. */
export type RemoteService = 'dingtalk' | 'pds';

/**
 * Base of the typed errors of the remote clients. It carries the remote code, the HTTP status,
 * the request id and the API path, and nothing else of the request: never a query string,
 * header, body or token. `permanent` means an operator must act (credentials, permissions,
 * configuration): retrying the run would not help.
 */
export abstract class RemoteError extends Error {
  abstract readonly service: RemoteService;

  constructor(
    message: string,
    readonly path: string,
    readonly code: string,
    readonly permanent: boolean,
    readonly httpStatus?: number,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = this.constructor.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** True when `err` is a remote error of `service` whose code starts with `prefix` (PDS codes carry suffixes). */
export function hasRemoteCode(err: unknown, service: RemoteService, prefix: string): err is RemoteError {
  return (
    err instanceof RemoteError &&
    err.service === service &&
    (err.code === prefix || err.code.startsWith(`${prefix}.`))
  );
}

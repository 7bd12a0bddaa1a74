import { RemoteError, type RemoteErrorInit } from './remote-error.js';

/**
 * A Stream connection that could not be opened: the open call (`step: 'open'`) or the
 * WebSocket upgrade (`step: 'upgrade'`) failed. It carries the remote code or the HTTP status,
 * never the request: the open call's body holds the app secret, and the URL the ticket.
 */
export class StreamConnectError extends RemoteError {
  readonly service = 'dingtalk' as const;

  constructor(
    readonly step: 'open' | 'upgrade',
    init: RemoteErrorInit,
  ) {
    super(
      `the DingTalk Stream ${step === 'open' ? 'open call' : 'WebSocket upgrade'} failed: ${init.code}`,
      init,
    );
  }
}

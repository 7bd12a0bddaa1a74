import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got } from 'got';

/**
 * How long a kept-alive socket may sit idle before we close it ourselves. A server closes idle
 * connections after its own timeout (Node's 5 s, load balancers' commonly 15 s and more); a
 * request sent on a socket at the moment the server closes it fails with a reset, and for a
 * create we then cannot tell whether it landed. Closing first avoids that race (agentkeepalive's
 * `freeSocketTimeout` is 4 s for the same reason). Under a server's `Keep-Alive: timeout=N` hint
 * Node lowers it further, to N − 1 s, but only when an agent timeout is set at all; without one
 * a free socket is kept until the server closes it. The timeout also ticks while a request
 * is in flight, where it only emits an unheeded 'timeout' (got uses its own request timer).
 * Trades reconnects (lower) for the reset race (higher); safe from 1 s up to just under the
 * shortest idle timeout of the servers called (Node's 5 s).
 */
export const FREE_SOCKET_TIMEOUT_MS = 4000;

export interface KeepAliveAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

export function keepAliveAgents(freeSocketTimeoutMs: number): KeepAliveAgents {
  const options = { keepAlive: true, timeout: freeSocketTimeoutMs };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

/** Keep-alive sockets shared by every remote client of the process. */
const agent = keepAliveAgents(FREE_SOCKET_TIMEOUT_MS);

const instances = new Map<number, Got>();

/**
 * The got instance of the remote clients: options merged once (got's per-call merging was a
 * third of a worker's CPU), keep-alive agents, answers as text (the clients parse and validate
 * themselves), no redirects, and no got retries (each client classifies its own). No
 * decompression: got then does not advertise gzip, and the answers are small. got is used
 * through its public API only (its per-request option builder costs ~0.15 ms of CPU a call on
 * Node 20: docs/performance.md).
 */
export function httpClient(timeoutMs: number): Got {
  let instance = instances.get(timeoutMs);
  if (instance === undefined) {
    instance = got.extend({
      agent,
      responseType: 'text',
      throwHttpErrors: false,
      followRedirect: false,
      decompress: false,
      retry: { limit: 0 },
      timeout: { request: timeoutMs },
    });
    instances.set(timeoutMs, instance);
  }
  return instance;
}

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import got, { type Got } from 'got';
import { useFastRequestOptions } from './got-request-options.js';

/** Keep-alive sockets shared by every remote client of the process. */
const agent = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

const instances = new Map<number, Got>();

/**
 * The got instance of the remote clients: options merged once (got's per-call merging was a
 * third of a worker's CPU), keep-alive agents, answers as text (the clients parse and validate
 * themselves), no redirects, and no got retries (each client classifies its own). No
 * decompression: got then does not advertise gzip, and the answers are small. Each request's
 * Node options are built by our equivalent of got's builder (see got-request-options.ts).
 */
export function httpClient(timeoutMs: number): Got {
  let instance = instances.get(timeoutMs);
  if (instance === undefined) {
    useFastRequestOptions();
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

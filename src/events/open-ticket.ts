import { z } from 'zod';
import type { Secret } from '../config/secret.js';
import { StreamConnectError } from '../errors/stream-connect-error.js';
import { httpClient } from '../http/client.js';

export const OPEN_PATH = '/v1.0/gateway/connections/open';

/** Who we are in the open call's `ua`. */
const UA = 'dingtalk-pds-sync';

export interface OpenTicketRequest {
  /** The profile's `dingtalk.apiBaseUrl` (https://api.dingtalk.com). */
  readonly apiBaseUrl: string;
  readonly appKey: string;
  readonly appSecret: Secret;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

export interface Ticket {
  readonly endpoint: string;
  readonly ticket: string;
}

const answer = z.object({ endpoint: z.string().regex(/^wss?:\/\//), ticket: z.string().min(1) });
const apiError = z.object({ code: z.string().min(1) });

/**
 * The open call: the app's credentials and its subscription (every EVENT) for a single-use
 * ticket and the endpoint to use it at. The secret goes into the request body only; a failure
 * carries the remote code or the HTTP status, nothing of the request.
 */
export async function openTicket(req: OpenTicketRequest): Promise<Ticket> {
  const fail = (code: string, httpStatus?: number) =>
    new StreamConnectError('open', {
      path: OPEN_PATH,
      code,
      httpStatus,
      // refused credentials or app: an operator must act, though the client keeps trying
      permanent: httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500,
      retryable: true,
    });
  let res;
  try {
    res = await httpClient(req.timeoutMs)(`${req.apiBaseUrl.replace(/\/+$/, '')}${OPEN_PATH}`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      json: {
        clientId: req.appKey,
        clientSecret: req.appSecret.reveal(),
        subscriptions: [{ type: 'EVENT', topic: '*' }],
        ua: UA,
      },
      signal: req.signal,
    });
  } catch (err) {
    if (req.signal?.aborted === true) throw req.signal.reason;
    const code = (err as { code?: unknown }).code;
    throw fail(typeof code === 'string' ? code : 'ERR_NETWORK');
  }
  const body = parseJson(res.body);
  if (res.statusCode !== 200) {
    const remote = apiError.safeParse(body);
    throw fail(remote.success ? remote.data.code : `HTTP_${res.statusCode}`, res.statusCode);
  }
  const ok = answer.safeParse(body);
  if (!ok.success) throw fail('MALFORMED_ANSWER', res.statusCode);
  return ok.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

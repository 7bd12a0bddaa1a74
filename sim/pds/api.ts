import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAuth } from './auth.js';
import type { Routes } from './context.js';
import { QpsLimiter, type Counters } from '../counters.js';
import { SimError } from './errors.js';
import { TOKEN_PATH, type FaultState } from './faults.js';
import { parseObject, readBody, send, sendJson } from './http.js';
import type { JsonObject } from './types.js';

const API_BODY_LIMIT = 5 * 1024 * 1024;

/** Alibaba Cloud style request ids: upper-case UUIDs. */
export const newRequestId = () => randomUUID().toUpperCase();

/** The error body in the casing the `errorCasing` fault asks for. */
export function errorBody(e: SimError, requestId: string, casing: 'lower' | 'pascal'): JsonObject {
  return casing === 'pascal'
    ? { Code: e.code, Message: e.message, RequestId: requestId }
    : { code: e.code, message: e.message, request_id: requestId };
}

/** One request on its way through the pipeline. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly path: string;
  readonly requestId: string;
  reply(status: number, body: JsonObject | undefined): void;
}

export interface ApiDeps {
  readonly routes: Routes;
  readonly auth: SimAuth;
  readonly faults: FaultState;
  readonly counters: Counters;
}

/**
 * The API request pipeline: count, rate-limit, faults, token check, the call itself, and the
 * faults that act after it (applied-then-503, malformed body).
 */
export class ApiPipeline {
  /** Requests admitted under the `qps` fault (throttled ones do not use up the limit). */
  readonly #admitted = new QpsLimiter();
  readonly #pauses = new Set<{ timer: NodeJS.Timeout; done: () => void }>();

  constructor(private readonly deps: ApiDeps) {}

  resetWindow(): void {
    this.#admitted.reset();
  }

  /** Ends every latency pause at once (server shutdown). */
  cancelPauses(): void {
    for (const p of this.#pauses) {
      clearTimeout(p.timer);
      p.done();
    }
    this.#pauses.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const { routes, faults, counters } = this.deps;
    // Counted and rate-checked synchronously on arrival, in arrival order.
    const t = performance.now();
    const route = routes[path];
    counters.received(path, t, { write: route?.write ?? false });
    const qps = faults.current.qps;
    // one limit for the whole domain
    const throttled = qps !== null && !this.#admitted.admit('domain', qps, t);
    const requestId = newRequestId();
    const x: Exchange = {
      req,
      res,
      path,
      requestId,
      reply: (status, body) => {
        // `undefined`: a success without a body (the deletes), 204.
        const sent = body === undefined ? 204 : status;
        counters.answered(path, sent);
        if (body === undefined) res.writeHead(204, { 'x-ca-request-id': requestId }).end();
        else sendJson(res, status, body, { 'x-ca-request-id': requestId });
      },
    };
    try {
      const raw = await readBody(req, API_BODY_LIMIT);
      // Code of the 429 body: unconfirmed for PDS; "Throttling" is Alibaba Cloud's usual one.
      if (throttled) throw new SimError(429, 'Throttling', 'Request was denied due to flow control.');
      if (raw === undefined) throw new SimError(413, 'InvalidParameter', 'The request body is too large.');
      await this.#serve(x, raw);
    } catch (err) {
      if (!(err instanceof SimError)) throw err;
      // Rule violations thrown by the handlers carry this request's id too.
      x.reply(err.status, errorBody(err, requestId, faults.current.errorCasing));
    }
  }

  async #serve(x: Exchange, raw: string): Promise<void> {
    const { routes, auth, faults, counters } = this.deps;
    const { req, res, path, requestId } = x;
    if (faults.current.latencyMs > 0) await this.#pause(faults.current.latencyMs);

    const gateway = faults.take('gatewayError', path);
    if (gateway !== undefined) {
      counters.answered(path, gateway.status);
      res.writeHead(gateway.status, {
        'x-ca-error-code': gateway.code,
        'x-ca-error-message': gateway.message,
        'x-ca-request-id': requestId,
        'content-length': '0',
      });
      res.end();
      return;
    }
    const injected = faults.take('inject', path);
    if (injected !== undefined) throw new SimError(injected.status, injected.code, injected.message);
    const rateStatus = faults.rateError(path);
    if (rateStatus !== undefined) {
      const code = rateStatus === 503 ? 'ServiceUnavailable' : 'InternalError';
      throw new SimError(rateStatus, code, 'The request failed (simulated server error).');
    }

    const route = routes[path];
    // Not `NotFound.*`: a client must not read an unknown path as a missing user.
    if (path !== TOKEN_PATH && route === undefined) {
      throw new SimError(404, 'InvalidUri', `The API ${path} does not exist.`);
    }
    if (req.method !== 'POST') throw new SimError(405, 'MethodNotAllowed', 'Use POST.');

    let result: JsonObject | undefined;
    if (route === undefined) {
      result = await auth.token(parseForm(raw, req.headers['content-type']));
    } else {
      auth.check(req.headers.authorization);
      const body = parseObject(raw);
      if (body === undefined)
        throw new SimError(400, 'InvalidParameter', 'The request body is not a JSON object.');
      result = route.handle(body);
      if (route.write && faults.wroteOne()) auth.expireAll();
      // Only a write that succeeded can be "applied, then answered 503".
      const after = route.write ? faults.take('failAfterApply', path) : undefined;
      if (after !== undefined) {
        const message = 'The request has failed due to a temporary failure of the server.';
        throw new SimError(after.status, 'ServiceUnavailable', message);
      }
    }
    if (faults.take('malformed', path) !== undefined) {
      counters.answered(path, 200);
      send(res, 200, '{"malformed": tru', { 'x-ca-request-id': requestId });
      return;
    }
    x.reply(200, result);
  }

  #pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#pauses.delete(entry);
          resolve();
        }, ms),
        done: resolve,
      };
      this.#pauses.add(entry);
    });
  }
}

/** The token call is form-encoded; JSON is accepted too (tolerant). */
function parseForm(raw: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.includes('application/json') === true) {
    const obj = parseObject(raw) ?? {};
    return Object.fromEntries(
      Object.entries(obj).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

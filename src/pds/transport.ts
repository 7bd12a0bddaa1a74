import { RequestError } from 'got';
import { httpClient } from '../http/client.js';
import type { CallStats } from '../http/call-stats.js';
import type { Logger } from '../process/logger.js';
import type { Pacer } from '../pacing/pacer.js';
import { clockOffsetMs } from './clock.js';
import { remoteCodeOf, type RawResponse } from './parse-error.js';

/** JSON for API calls; form-encoded for the token call. */
export type Payload =
  { readonly json: Readonly<Record<string, unknown>> } | { readonly form: Readonly<Record<string, string>> };

export interface TransportSettings {
  readonly baseUrl: string;
  readonly domainId: string;
  readonly qps: number;
  readonly pacer: Pacer;
  readonly log: Logger;
  readonly stats?: CallStats | undefined;
  /** Whole-request timeout. @defaultValue 30000 */
  readonly timeoutMs?: number | undefined;
  /** This server's clock, compared with the `Date` of PDS's answers. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/**
 * One HTTP attempt: an answer, with how far PDS's clock is from ours by its `Date` header (ms,
 * PDS minus ours), or none (refused, reset, timed out) with got's code only.
 */
export type PdsAttempt =
  | ({ readonly ok: true; readonly clockOffsetMs: number | undefined } & RawResponse)
  | { readonly ok: false; readonly code: string };

export interface AttemptOptions {
  /** The access token; absent only for the token call. */
  readonly bearer?: string | undefined;
  readonly write: boolean;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One HTTP attempt: paced, counted, logged, with got's errors reduced to their code. Retrying is
 * the caller's business (got's own retry is off), so every attempt takes its own pacing slot and
 * a retry storm can never exceed the domain's QPS.
 */
export class PdsTransport {
  readonly #base: string;
  readonly #paceKey: string;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #clockOffsetMs: number | undefined;

  constructor(private readonly settings: TransportSettings) {
    this.#base = settings.baseUrl.replace(/\/+$/, '');
    // One key for the whole domain, all paths: PDS limits the domain, not a path.
    this.#paceKey = `pds:${settings.domainId}`;
    this.#timeoutMs = settings.timeoutMs ?? 30_000;
    this.#now = settings.now ?? Date.now;
  }

  /** PDS's clock minus ours (ms), by the last answer that had a `Date` header. */
  get clockOffsetMs(): number | undefined {
    return this.#clockOffsetMs;
  }

  async post(path: string, payload: Payload, opts: AttemptOptions): Promise<PdsAttempt> {
    const { pacer, qps, stats, log } = this.settings;
    await pacer.take(this.#paceKey, qps, opts.signal);
    stats?.count(path, opts.write);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    let res: RawResponse;
    try {
      const answer = await httpClient(this.#timeoutMs).post(`${this.#base}${path}`, {
        ...payload,
        headers: opts.bearer === undefined ? {} : { authorization: `Bearer ${opts.bearer}` },
        signal: opts.signal,
      });
      res = { status: answer.statusCode, body: answer.body, headers: answer.headers };
    } catch (err) {
      // got's errors hold the options (headers with the token, the body with the assertion):
      // only the error code leaves this block.
      if (opts.signal?.aborted === true) throw opts.signal.reason;
      const code = err instanceof RequestError ? err.code : 'EUNKNOWN';
      stats?.outcome(path, 'error');
      log.debug({ path, ms: ms(), code }, 'pds call failed: no answer');
      return { ok: false, code };
    }
    const code = res.status >= 300 ? remoteCodeOf(res) : undefined;
    stats?.outcome(path, res.status === 429 ? 'throttled' : res.status >= 300 ? 'error' : 'ok');
    log.debug({ path, ms: ms(), status: res.status, code }, 'pds call');
    const date = res.headers.date;
    const offset = clockOffsetMs(typeof date === 'string' ? date : undefined, this.#now());
    if (offset !== undefined) this.#clockOffsetMs = offset;
    return { ok: true, ...res, clockOffsetMs: offset };
  }
}

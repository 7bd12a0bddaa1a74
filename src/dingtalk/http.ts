import { httpClient } from '../http/client.js';
import type { CallStats } from '../http/call-stats.js';
import type { Pacer } from '../pacing/pacer.js';
import { UnansweredCap } from '../pacing/unanswered.js';
import type { MonthlyCallMeter } from './types.js';

export interface HttpCall {
  readonly baseUrl: string;
  /** The API path, which is also the pacing and counting key. */
  readonly path: string;
  readonly method: 'GET' | 'POST';
  readonly searchParams?: Readonly<Record<string, string>> | undefined;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** A body as JSON, or not JSON at all (`html`: `text/html`, or text that starts with `<`). */
export type ParsedBody =
  { readonly json: true; readonly value: unknown } | { readonly json: false; readonly html: boolean };

export type HttpAttempt =
  | { readonly ok: true; readonly status: number; readonly body: ParsedBody; readonly ms: number }
  /** No HTTP answer: refused, reset, timed out. `code` is the socket/got code, never its message. */
  | { readonly ok: false; readonly code: string; readonly ms: number };

export interface DingTalkHttpOptions {
  readonly appKey: string;
  readonly qps: number;
  readonly pacer: Pacer;
  readonly stats?: CallStats | undefined;
  /** The organisation's monthly count: every attempt sent counts, as DingTalk counts it. */
  readonly monthly?: MonthlyCallMeter | undefined;
  readonly timeoutMs: number;
}

/**
 * Calls of one API (per app) this process lets go unanswered at once (see `UnansweredCap`).
 * Trades the latency the paced rate survives (cap × the paced interval: ~440 ms at DingTalk's
 * real 20 QPS, ~140 ms at 60) for the burst a remote that reads late can count at once, which
 * must stay within the pacing headroom's spare calls (12 at 200 QPS). Lowering it is safe for
 * latencies under that bound; raising it past the headroom's spare calls is not.
 */
export const UNANSWERED_PER_API = 8;

/** Per process: the cap bounds what this process may have outstanding, whatever the profile. */
const unanswered = new UnansweredCap(UNANSWERED_PER_API);

/**
 * One HTTP attempt: paced per (appKey, path) across every process sharing Redis, counted per
 * path, sent with got's own retry off (the executor classifies retries). got's errors are
 * reduced to their code here, so its options, URL and headers never travel further.
 */
export class DingTalkHttp {
  constructor(private readonly opts: DingTalkHttpOptions) {}

  async send(call: HttpCall, signal?: AbortSignal): Promise<HttpAttempt> {
    const key = `dingtalk:${this.opts.appKey}:${call.path}`;
    // A booked instant is used only if the call can go out on it; one that had to wait for an
    // answer books a new instant (its own has passed, and a late call bunches with the next).
    await this.opts.pacer.take(key, this.opts.qps, signal);
    return unanswered.run(key, () => this.#attempt(call, signal), {
      afterWait: () => this.opts.pacer.take(key, this.opts.qps, signal),
      signal,
    });
  }

  async #attempt(call: HttpCall, signal: AbortSignal | undefined): Promise<HttpAttempt> {
    this.opts.stats?.count(call.path);
    this.opts.monthly?.count(call.path);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const res = await httpClient(this.opts.timeoutMs)(`${call.baseUrl.replace(/\/+$/, '')}${call.path}`, {
        method: call.method,
        ...(call.searchParams === undefined ? {} : { searchParams: { ...call.searchParams } }),
        ...(call.json === undefined ? {} : { json: call.json }),
        headers: { accept: 'application/json', ...call.headers },
        signal,
      });
      return {
        ok: true,
        status: res.statusCode,
        body: parseBody(res.body, res.headers['content-type']),
        ms: ms(),
      };
    } catch (err) {
      // A cancelled job stops with its own reason, not a network error.
      if (signal?.aborted === true) throw signal.reason;
      const code = (err as { code?: unknown }).code;
      return {
        ok: false,
        code: typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'ERR_NETWORK',
        ms: ms(),
      };
    }
  }
}

function parseBody(text: string, contentType: string | undefined): ParsedBody {
  try {
    return { json: true, value: JSON.parse(text) as unknown };
  } catch {
    return { json: false, html: /text\/html/i.test(contentType ?? '') || text.trimStart().startsWith('<') };
  }
}

import type { z } from 'zod';
import { sleep } from '../pacing/pacer.js';
import type { TokenSource } from './auth.js';
import { PdsError } from './errors.js';
import { parseSuccess } from './parse-body.js';
import { errorFromResponse } from './parse-error.js';
import { retryDelayMs, type RetryPolicy } from './retry.js';
import type { PdsTransport } from './transport.js';

export interface CallOptions {
  /** Counted apart in CallStats (create, update, add/remove member, link, unlink). */
  readonly write: boolean;
  readonly signal?: AbortSignal | undefined;
  /**
   * False for a write that PDS cannot recognise when repeated (group create: PDS assigns the
   * id): a 5xx or network failure may have been applied, so it is not retried here; the caller
   * looks for the result instead. 429 and token renewal are still retried (nothing applied).
   */
  readonly repeatable?: boolean;
}

/**
 * One API call: token, pacing, retries and validation. 429 / 5xx / network failures are retried
 * up to `maxAttempts`; a 401 renews the token once (not counted as an attempt) and a second 401
 * is permanent; 400/403/404/409 are never retried.
 */
export class PdsCore {
  constructor(
    private readonly transport: PdsTransport,
    private readonly tokens: TokenSource,
    private readonly retry: RetryPolicy,
    private readonly random: () => number,
  ) {}

  async call<S extends z.ZodType>(
    path: string,
    body: Readonly<Record<string, unknown>>,
    schema: S,
    opts: CallOptions,
  ): Promise<z.output<S>> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token(opts.signal);
      let failure: PdsError;
      try {
        const res = await this.transport.post(path, { json: body }, { ...opts, bearer: token });
        // Creates answer 200 in 2022-03-01 and 201 in the older API; both are success.
        if (res.status >= 200 && res.status < 300) return parseSuccess(path, res, schema);
        failure = errorFromResponse(path, res);
      } catch (err) {
        if (!(err instanceof PdsError)) throw err;
        failure = err;
      }
      // The codes are matched too, whatever the status: tolerant of a gateway that maps them
      // to 400/403 (the reference only pairs them with 401).
      if (
        failure.httpStatus === 401 ||
        failure.codeIs('AccessTokenInvalid') ||
        failure.codeIs('TokenExpired')
      ) {
        this.tokens.invalidate(token);
        if (!renewed) {
          renewed = true;
          attempt--;
          continue;
        }
        throw new PdsError(
          `${failure.message} (again with a fresh token: the credentials are not accepted)`,
          {
            path,
            code: failure.code,
            httpStatus: failure.httpStatus,
            requestId: failure.requestId,
            permanent: true,
            retryable: false,
          },
        );
      }
      if (!failure.retryable || attempt >= this.retry.maxAttempts) throw failure;
      if (opts.repeatable === false && failure.httpStatus !== 429) throw failure;
      await sleep(retryDelayMs(failure, attempt, this.retry, this.random), opts.signal);
    }
  }
}

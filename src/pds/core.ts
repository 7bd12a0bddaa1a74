import type { z } from 'zod';
import { pause } from '../errors/abort.js';
import { PdsError } from '../errors/pds-error.js';
import { classifyFailure, verdictOf, type PdsDecision } from './classify.js';
import { readResponse, type FailedOutcome } from './read-response.js';
import { retryDelayMs, type RetryPolicy } from './retry.js';
import type { PdsTransport, Payload } from './transport.js';

/** Hands out the current access token; `invalidate` drops it after PDS refused it. */
export interface TokenSource {
  token(signal?: AbortSignal): Promise<string>;
  invalidate(token: string): void;
}

export interface CallOptions {
  /** Counted apart in CallStats (create, update, add/remove member, link, unlink). */
  readonly write: boolean;
  readonly signal?: AbortSignal | undefined;
  /**
   * False for a write that PDS cannot recognise when repeated (group create: PDS assigns the
   * id): a 5xx or network failure may have been applied, so it is not retried here; the caller
   * looks for the result instead. 429 and token renewal are still retried (nothing applied).
   */
  readonly repeatable?: boolean | undefined;
}

export interface CallSpec<S extends z.ZodType> extends CallOptions {
  readonly path: string;
  readonly schema: S;
  /** The request of one attempt, made anew for each: a token assertion is never replayed. */
  readonly payload: () => Payload | Promise<Payload>;
  /** The bearer token of an API call; absent for the token request itself. */
  readonly tokens?: TokenSource | undefined;
}

/** An API call with the client's token: what users.ts, groups.ts and accounts.ts are built on. */
export type ApiCall = <S extends z.ZodType>(
  path: string,
  body: Readonly<Record<string, unknown>>,
  schema: S,
  opts: CallOptions,
) => Promise<z.output<S>>;

/**
 * The client's one retry loop, for API calls and the token request alike: pacing (by the
 * transport), validation, and what `classify.ts` decides for each failed attempt. Retries are
 * bounded by `maxAttempts`; a token renewal after a refused token happens once and is not
 * counted as an attempt.
 */
export class PdsCore {
  constructor(
    private readonly transport: PdsTransport,
    private readonly retry: RetryPolicy,
    private readonly random: () => number,
  ) {}

  async call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>> {
    const { path, tokens, signal } = spec;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await tokens?.token(signal);
      const answer = await this.transport.post(path, await spec.payload(), {
        write: spec.write,
        signal,
        bearer: token,
      });
      const outcome = readResponse(path, answer, spec.schema);
      if (outcome.ok) return outcome.value;

      const decision = classifyFailure(outcome.failure, tokens === undefined ? 'token' : 'api');
      if (decision.action === 'renew-token' && token !== undefined) {
        tokens?.invalidate(token);
        if (!renewed) {
          renewed = true;
          attempt--;
          continue;
        }
      }
      const lastTry =
        decision.action !== 'retry' ||
        attempt >= this.retry.maxAttempts ||
        (spec.repeatable === false && decision.wait === 'backoff');
      if (lastTry) throw errorOf(path, outcome, decision);
      await pause(retryDelayMs(decision.wait, attempt, this.retry, this.random), signal);
    }
  }

  /** The API calls of `tokens`' bearer: one JSON body per call. */
  apiCall(tokens: TokenSource): ApiCall {
    return (path, body, schema, opts) =>
      this.call({ ...opts, path, schema, tokens, payload: () => ({ json: body }) });
  }
}

function errorOf(path: string, o: FailedOutcome, decision: PdsDecision): PdsError {
  const said =
    decision.action === 'renew-token'
      ? ' (again with a fresh token: the credentials are not accepted)'
      : decision.action === 'fail' && decision.hint !== undefined
        ? ` (${decision.hint})`
        : '';
  return new PdsError(`${o.message}${said}`, {
    path,
    code: o.code,
    httpStatus: o.httpStatus,
    requestId: o.requestId,
    ...verdictOf(decision),
  });
}

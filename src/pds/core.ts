import type { z } from 'zod';
import { PdsError, type PdsErrorKind } from '../errors/pds-error.js';
import {
  retryLoop,
  type CallSpec,
  type RetryPolicy,
  type TokenSource,
  type Verdict,
} from '../http/retry-loop.js';
import { classifyFailure, type PdsDecision, type PdsWait } from './classify.js';
import { readResponse, type FailedOutcome } from './read-response.js';
import type { PdsTransport, Payload } from './transport.js';

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

export interface PdsCallSpec<S extends z.ZodType> extends CallSpec, CallOptions {
  readonly schema: S;
  /** The request of one attempt, made anew for each: a token assertion is never replayed. */
  readonly payload: () => Payload | Promise<Payload>;
}

/** An API call with the client's token: what users.ts, groups.ts and accounts.ts are built on. */
export type ApiCall = <S extends z.ZodType>(
  path: string,
  body: Readonly<Record<string, unknown>>,
  schema: S,
  opts: CallOptions,
) => Promise<z.output<S>>;

/**
 * API calls and the token request alike, through the shared retry loop (http/retry-loop.ts):
 * pacing (by the transport), validation, and what `classify.ts` decides for each failed attempt.
 */
export class PdsCore {
  constructor(
    private readonly transport: PdsTransport,
    private readonly policies: Readonly<Record<PdsWait, RetryPolicy>>,
  ) {}

  call<S extends z.ZodType>(spec: PdsCallSpec<S>): Promise<z.output<S>> {
    const { path, tokens, signal } = spec;
    const endpoint = tokens === undefined ? 'token' : 'api';
    return retryLoop<z.output<S>, FailedOutcome, PdsWait, PdsErrorKind, PdsDecision>({
      tokens,
      signal,
      policies: this.policies,
      attempt: async (bearer) => {
        const payload = await spec.payload();
        const answer = await this.transport.post(path, payload, { write: spec.write, signal, bearer });
        const outcome = readResponse(path, answer, spec.schema);
        if (outcome.ok) return outcome;
        return { ok: false, failure: outcome, decision: classifyFailure(outcome.failure, endpoint) };
      },
      mayRetry: (wait) => spec.repeatable !== false || wait !== 'backoff',
      error: (o, decision, verdict) => errorOf(path, o, decision, verdict),
    });
  }

  /** The API calls of `tokens`' bearer: one JSON body per call. */
  apiCall(tokens: TokenSource): ApiCall {
    return (path, body, schema, opts) =>
      this.call({ ...opts, path, schema, tokens, payload: () => ({ json: body }) });
  }
}

function errorOf(path: string, o: FailedOutcome, d: PdsDecision, v: Verdict<PdsErrorKind>): PdsError {
  const said =
    d.action === 'renew-token'
      ? ' (again with a fresh token: the credentials are not accepted)'
      : d.action === 'fail' && d.hint !== undefined
        ? ` (${d.hint})`
        : '';
  return new PdsError(`${o.message}${said}`, {
    ...v,
    path,
    code: o.code,
    httpStatus: o.httpStatus,
    requestId: o.requestId,
    clockOffsetMs: o.clockOffsetMs,
  });
}

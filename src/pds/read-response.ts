import type { z } from 'zod';
import { LocalCode } from '../errors/pds-error.js';
import type { PdsFailure } from './classify.js';
import { readErrorAnswer, requestIdOf, type RawResponse } from './parse-error.js';
import type { PdsAttempt } from './transport.js';

/** What one attempt came to: a value, or a failure with what its error may say. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | FailedOutcome;

export interface FailedOutcome {
  readonly ok: false;
  readonly failure: PdsFailure;
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number | undefined;
  readonly requestId?: string | undefined;
  /** PDS's clock minus ours (ms), by the answer's `Date` header. */
  readonly clockOffsetMs?: number | undefined;
}

/**
 * Reads one attempt as the reference means it: a 2xx body validated against its schema (200 in
 * 2022-03-01, 201 in the older API: both are success), or the failure it is. Zod's issue
 * messages name fields and expected types only, never the received values (the token answer
 * holds the access token).
 */
export function readResponse<S extends z.ZodType>(
  path: string,
  attempt: PdsAttempt,
  schema: S,
): Outcome<z.output<S>> {
  if (!attempt.ok) {
    const message = `PDS ${path}: no answer (${attempt.code})`;
    return { ok: false, failure: { type: 'network' }, code: LocalCode.Network, message };
  }
  if (attempt.status < 200 || attempt.status >= 300) {
    const answer = readErrorAnswer(path, attempt);
    const { clockOffsetMs } = attempt;
    return {
      ok: false,
      failure: { type: 'answer', status: attempt.status, code: answer.code, clockOffsetMs },
      ...answer,
      httpStatus: attempt.status,
      clockOffsetMs,
    };
  }
  const parsed = parseSuccess(attempt, schema);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    failure: { type: 'malformed' },
    code: LocalCode.Malformed,
    message: `PDS ${path} answered ${attempt.status} with a malformed body: ${parsed.why}`,
    httpStatus: attempt.status,
    requestId: requestIdOf(attempt),
  };
}

function parseSuccess<S extends z.ZodType>(
  res: RawResponse,
  schema: S,
): { readonly ok: true; readonly value: z.output<S> } | { readonly ok: false; readonly why: string } {
  let json: unknown;
  if (res.body.trim() === '') {
    // add_member, link, … answer `{}`; some gateways answer 204 with no body at all.
    json = {};
  } else {
    try {
      json = JSON.parse(res.body);
    } catch {
      return { ok: false, why: 'not JSON' };
    }
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const why = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
  return { ok: false, why };
}

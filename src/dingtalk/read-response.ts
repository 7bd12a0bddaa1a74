import type { z } from 'zod';
import type { CallSpec } from '../http/retry-loop.js';
import { effectiveCode, parsePermission, type Failure } from './classify.js';
import type { HttpAttempt, ParsedBody } from './http.js';
import { apiErrorSchema, oapiEnvelopeSchema } from './schemas.js';

/** One DingTalk call: which API generation, where, what, and how its answer reads. */
export interface DingTalkCallSpec<T> extends CallSpec {
  /** `oapi`: oapi.dingtalk.com envelope (HTTP 200 + errcode); `api`: api.dingtalk.com (HTTP 4xx + code). */
  readonly api: 'oapi' | 'api';
  readonly baseUrl: string;
  readonly method: 'GET' | 'POST';
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string>>;
  /* `tokens`: `?access_token=` on oapi, header `x-acs-dingtalk-access-token` on api. */
  /** oapi: the payload is `result` (topapi) or the envelope itself (gettoken, auth/scopes). */
  readonly payload: 'result' | 'body';
  readonly schema: z.ZodType<T>;
  /** What the schema cannot see (it needs the request): a problem makes the answer malformed. */
  readonly check?: ((value: T) => string | undefined) | undefined;
  /** Values that must never appear in an error message even if DingTalk echoes them. */
  readonly secrets?: readonly string[];
}

/** What one attempt came to: a value, or a failure with what an error message may say. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly failure: Failure;
      readonly code: string;
      readonly httpStatus?: number | undefined;
      readonly requestId?: string | undefined;
      readonly detail?: string | undefined;
      readonly permission?: string | undefined;
    };

export type FailedOutcome = Exclude<Outcome<unknown>, { ok: true }>;

/**
 * Reads one HTTP attempt as DingTalk means it: the oapi envelope (HTTP 200 + errcode, 88 +
 * sub_code), the api.dingtalk.com error body (HTTP 4xx + code), or the payload validated
 * against its schema. Anything else is a `malformed` failure, never a silent empty value.
 */
export function readAttempt<T>(spec: DingTalkCallSpec<T>, attempt: HttpAttempt): Outcome<T> {
  if (!attempt.ok) return { ok: false, failure: { type: 'network' }, code: attempt.code };
  const { status, body } = attempt;
  // 5xx is retried whatever the body says; a proxy's HTML page is not an answer.
  if (status >= 500)
    return { ok: false, failure: { type: 'http', status }, code: `http_${status}`, httpStatus: status };
  const ban = banOf(status, body);
  if (ban !== undefined) return ban;
  if (!body.json) {
    return malformed(
      status,
      status >= 400 ? `HTTP ${status} with a body that is not JSON` : 'the body is not JSON',
    );
  }
  return spec.api === 'oapi' ? readOapi(spec, status, body.value) : readApi(spec, status, body.value);
}

function readOapi<T>(spec: DingTalkCallSpec<T>, status: number, value: unknown): Outcome<T> {
  const env = oapiEnvelopeSchema.safeParse(value);
  if (!env.success) {
    if (status !== 200)
      return { ok: false, failure: { type: 'http', status }, code: `http_${status}`, httpStatus: status };
    return malformed(status, `not a DingTalk envelope (${issues(env.error)})`);
  }
  const e = env.data;
  if (e.errcode !== 0) {
    const code = effectiveCode(e.errcode, e.sub_code);
    const detail = e.errcode === 88 ? (e.sub_msg ?? e.errmsg) : e.errmsg;
    return {
      ok: false,
      failure: { type: 'remote', code },
      code,
      httpStatus: status,
      requestId: e.request_id,
      detail,
      permission: code === '60011' ? parsePermission(e.sub_msg, e.errmsg) : undefined,
    };
  }
  const payload = spec.payload === 'result' ? (value as { result?: unknown }).result : value;
  const parsed = spec.schema.safeParse(payload);
  if (!parsed.success)
    return malformed(status, issues(parsed.error, spec.payload === 'result' ? 'result' : ''), e.request_id);
  const problem = spec.check?.(parsed.data);
  if (problem !== undefined) return malformed(status, problem, e.request_id);
  return { ok: true, value: parsed.data };
}

function readApi<T>(spec: DingTalkCallSpec<T>, status: number, value: unknown): Outcome<T> {
  if (status >= 400) {
    const err = apiErrorSchema.safeParse(value);
    if (!err.success)
      return { ok: false, failure: { type: 'http', status }, code: `http_${status}`, httpStatus: status };
    const d = err.data;
    return {
      ok: false,
      failure: { type: 'remote', code: d.code },
      code: d.code,
      httpStatus: status,
      requestId: d.requestid,
      detail: d.message,
      permission: d.accessdenieddetail?.requiredScopes?.[0],
    };
  }
  const parsed = spec.schema.safeParse(value);
  if (!parsed.success) return malformed(status, issues(parsed.error, ''));
  const problem = spec.check?.(parsed.data);
  if (problem !== undefined) return malformed(status, problem);
  return { ok: true, value: parsed.data };
}

/**
 * The HTML ban page gives no wait: DingTalk's documented ban lasts five minutes (reference §4).
 * Also assumed for a 1111 answer without a usable `wait` (unconfirmed whether one is sent).
 */
export const BAN_WAIT_SECONDS = 300;

/**
 * DingTalk's per-IP ban (reference §4), on HTTP 200 or 403 instead of the answer asked for:
 * `{"status":1111,"wait":N}`, or an HTML page where JSON was expected. A throttle of this
 * deployment's address to wait out, not a malformed answer.
 */
function banOf(status: number, body: ParsedBody): Outcome<never> | undefined {
  if (status !== 200 && status !== 403) return undefined;
  if (!body.json) {
    if (!body.html) return undefined;
    return banned(status, 'ban_page', BAN_WAIT_SECONDS, 'an HTML page instead of JSON');
  }
  const v = body.value as { status?: unknown; wait?: unknown } | null;
  if (typeof v !== 'object' || v === null || String(v.status) !== '1111') return undefined;
  const wait = Number(v.wait);
  return banned(
    status,
    '1111',
    Number.isFinite(wait) && wait > 0 ? wait : BAN_WAIT_SECONDS,
    `wait ${String(v.wait)}`,
  );
}

function banned(status: number, code: string, waitSeconds: number, detail: string): Outcome<never> {
  return { ok: false, failure: { type: 'banned', waitSeconds }, code, httpStatus: status, detail };
}

function malformed(status: number, detail: string, requestId?: string): Outcome<never> {
  return {
    ok: false,
    failure: { type: 'malformed' },
    code: 'malformed_response',
    httpStatus: status,
    requestId,
    detail,
  };
}

/** Where and what, never the offending values (they may be personal data). */
function issues(error: z.ZodError, root = ''): string {
  return error.issues
    .slice(0, 3)
    .map(
      (i) => `${[root, ...i.path.map(String)].filter((p) => p !== '').join('.') || '(body)'}: ${i.message}`,
    )
    .join('; ');
}

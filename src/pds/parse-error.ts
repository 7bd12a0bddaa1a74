/** What the transport keeps of an HTTP answer: nothing of the request. */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

const MAX_REMOTE_MESSAGE = 300;

const header = (res: RawResponse, name: string): string | undefined => {
  const v = res.headers[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined || first === '' ? undefined : first;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function parseBody(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What a non-2xx answer says, in the words a PdsError carries. */
export interface ErrorAnswer {
  readonly code: string;
  readonly message: string;
  readonly requestId: string | undefined;
}

/**
 * What a non-2xx answer says. PDS's docs print `Code/Message/RequestId` while the SDKs read
 * `code/message/request_id`: both are parsed. Gateway errors may come with no body at all, only
 * `x-ca-error-code` / `x-ca-error-message` / `x-ca-request-id` headers.
 */
export function readErrorAnswer(path: string, res: RawResponse): ErrorAnswer {
  const body = parseBody(res.body);
  const code = remoteCodeOf(res, body);
  const remoteMessage =
    str(body?.message) ?? str(body?.Message) ?? header(res, 'x-ca-error-message') ?? 'no message';
  const requestId = str(body?.request_id) ?? str(body?.RequestId) ?? header(res, 'x-ca-request-id');
  return {
    code,
    message: `PDS ${path} answered ${res.status} ${code}: ${truncate(remoteMessage)}`,
    requestId,
  };
}

/** The code of a non-2xx answer; `Http<status>` when it names none. */
export function remoteCodeOf(res: RawResponse, body = parseBody(res.body)): string {
  return str(body?.code) ?? str(body?.Code) ?? header(res, 'x-ca-error-code') ?? `Http${res.status}`;
}

/** Anything shaped like a JWT (an echoed assertion or token) never reaches a message. */
const JWT_LIKE = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

function truncate(text: string): string {
  const scrubbed = text.replace(JWT_LIKE, '[jwt]');
  return scrubbed.length > MAX_REMOTE_MESSAGE ? `${scrubbed.slice(0, MAX_REMOTE_MESSAGE)}…` : scrubbed;
}

/** Request id of any answer (success bodies rarely carry one; the header does). */
export function requestIdOf(res: RawResponse): string | undefined {
  return header(res, 'x-ca-request-id');
}

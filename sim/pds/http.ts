import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body of a request as text, or undefined when it exceeds `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(res, status, JSON.stringify(body), headers);
}

/** Raw text with a JSON content type: the malformed-body fault uses it too. */
export function send(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** An escaped UTF-16 surrogate (`\ud83d`): the only way a JSON text can carry an unpaired one. */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;

/**
 * PDS holds text as UTF-8 (the reference: a UTF-8 JSON body), which has no unpaired surrogate:
 * one sent escaped reads back as U+FFFD, as Go's encoding/json decodes it.
 */
const asUtf8 = (_key: string, v: unknown): unknown =>
  typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v;

/** JSON object or undefined (not JSON, or not an object). */
export function parseObject(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const v: unknown = ESCAPED_SURROGATE.test(text) ? JSON.parse(text, asUtf8) : JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestId, type SimResponse } from './envelope.js';
import type { MalformedKind } from './faults.js';

/* The simulator's HTTP wire: request bodies in, answers (and the malformed ones) out. */

export function malformed(kind: MalformedKind): SimResponse {
  switch (kind) {
    case 'not_json':
      return {
        status: 200,
        text: '{"errcode":0,"errmsg":"ok","result":{"has_more":tr',
        contentType: 'application/json',
      };
    case 'not_envelope':
      return { status: 200, json: { status: 'ok', data: [] } };
    case 'wrong_shape':
      return {
        status: 200,
        json: { errcode: 0, errmsg: 'ok', result: 'unavailable', request_id: requestId() },
      };
  }
}

const MAX_BODY = 1 << 20;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function send(res: ServerResponse, answer: SimResponse): void {
  if ('reset' in answer) {
    res.socket?.resetAndDestroy();
    return;
  }
  if ('json' in answer) {
    const body = JSON.stringify(answer.json);
    res.writeHead(answer.status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  } else {
    res.writeHead(answer.status, {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.text),
    });
    res.end(answer.text);
  }
}

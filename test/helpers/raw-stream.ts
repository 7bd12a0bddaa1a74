import WebSocket from 'ws';
import type { DingTalkSimulator } from '../../sim/dingtalk/server.js';
import { OPEN_PATH } from '../../sim/dingtalk/stream/gateway.js';

/** What a bare Stream client knows of an app: a simulator's, or a simulator host's app. */
export type StreamApp = Pick<DingTalkSimulator, 'url' | 'appKey' | 'appSecret'>;

/** A frame as it arrived (headers as sent, `data` still the JSON string). */
export interface RawFrame {
  readonly specVersion?: string;
  readonly type: string;
  readonly headers: Record<string, string>;
  readonly data: string;
}

/** The open call on the wire. */
export async function openCall(
  sim: StreamApp,
  body: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${OPEN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: sim.appKey,
      clientSecret: sim.appSecret,
      subscriptions: [{ type: 'EVENT', topic: '*' }],
      ua: 'raw-test',
      ...body,
    }),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') === true;
  return { status: res.status, body: json ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * A bare WebSocket on the simulated gateway, written from the reference alone (not our client),
 * so the gateway's tests see the wire. It records every frame and answers only when told.
 */
export class RawStream {
  readonly frames: RawFrame[] = [];
  closed = false;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as RawFrame);
      this.#wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.#wake();
    });
  }

  /** Opens a ticket and connects; rejects with the HTTP status when the upgrade is refused. */
  static async connect(sim: StreamApp, ticket?: string): Promise<RawStream> {
    let t = ticket;
    let endpoint = `${sim.url.replace(/^http/, 'ws')}/connect`;
    if (t === undefined) {
      const { body } = await openCall(sim);
      t = String(body.ticket);
      endpoint = String(body.endpoint);
    }
    const ws = new WebSocket(`${endpoint}?ticket=${encodeURIComponent(t)}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawStream(ws)));
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(new Error(`upgrade refused: ${res.statusCode ?? 0}`));
      });
      ws.once('error', reject);
    });
  }

  events(): RawFrame[] {
    return this.frames.filter((f) => f.type === 'EVENT');
  }

  /** Resolves once `check()` holds (re-checked at every frame and at close). */
  until(check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const waiter = () => {
        if (!check()) return;
        this.#waiters.delete(waiter);
        resolve();
      };
      this.#waiters.add(waiter);
      waiter();
    });
  }

  ack(frame: RawFrame, status = 'SUCCESS'): void {
    this.ws.send(
      JSON.stringify({
        code: 200,
        headers: { contentType: 'application/json', messageId: frame.headers.messageId },
        message: 'OK',
        data: JSON.stringify({ status, message: 'ok' }),
      }),
    );
  }

  pong(frame: RawFrame): void {
    this.ws.send(JSON.stringify({ code: 200, headers: frame.headers, message: 'OK', data: frame.data }));
  }

  close(): void {
    this.ws.terminate();
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }
}

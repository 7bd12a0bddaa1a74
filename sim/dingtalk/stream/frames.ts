import { randomBytes, randomUUID } from 'node:crypto';

/** One contact event as the gateway keeps it: its identity and its `data` (a JSON string). */
export interface SimStreamEvent {
  readonly eventId: string;
  readonly eventType: string;
  /** Epoch ms. */
  readonly bornTime: number;
  readonly data: string;
}

/** What identifies the app and the connection in every frame's headers. */
export interface FrameContext {
  readonly appId: string;
  readonly corpId: string;
  readonly unifiedAppId: string;
  readonly connectionId: string;
}

/** A DingTalk-looking message id: unique per delivery, never per event. */
export const newMessageId = (): string => randomUUID().replace(/-/g, '').slice(0, 24);

/** A DingTalk-looking event id: 32 hex characters, unique per event. */
export const newEventId = (): string => randomBytes(16).toString('hex');

/** An EVENT frame in the official shape: every header value a string, `data` a JSON string. */
export function eventFrame(ctx: FrameContext, event: SimStreamEvent, messageId: string): string {
  return JSON.stringify({
    specVersion: '1.0',
    type: 'EVENT',
    headers: {
      appId: ctx.appId,
      connectionId: ctx.connectionId,
      contentType: 'application/json',
      messageId,
      time: String(Date.now()),
      topic: '*',
      eventType: event.eventType,
      eventId: event.eventId,
      eventCorpId: ctx.corpId,
      eventBornTime: String(event.bornTime),
      eventUnifiedAppId: ctx.unifiedAppId,
    },
    data: event.data,
  });
}

/** A SYSTEM frame (`ping` with `{opaque}`, `disconnect` with `{reason}`). */
export function systemFrame(ctx: FrameContext, topic: 'ping' | 'disconnect', data: object): string {
  return JSON.stringify({
    specVersion: '1.0',
    type: 'SYSTEM',
    headers: {
      appId: ctx.appId,
      connectionId: ctx.connectionId,
      contentType: 'application/json',
      messageId: newMessageId(),
      time: String(Date.now()),
      topic,
    },
    data: JSON.stringify(data),
  });
}

/** A client's answer: an ACK `{code, headers.messageId, data:"{status}"}` or a ping's echo. */
export interface ClientReply {
  readonly kind: 'ack' | 'pong' | 'other';
  readonly messageId?: string | undefined;
  /** The ACK's `status` (SUCCESS, LATER, or absent as in the SDK's empty ACK). */
  readonly status?: string | undefined;
  /** A ping echo's `opaque`. */
  readonly opaque?: string | undefined;
}

/** Reads what a client sent; never throws (a bad frame is `other`). */
export function readReply(text: string): ClientReply {
  const frame = parseObject(text);
  const headers = frame === undefined ? undefined : parseObject(frame.headers);
  if (frame === undefined || headers === undefined) return { kind: 'other' };
  const messageId = typeof headers.messageId === 'string' ? headers.messageId : undefined;
  const data = typeof frame.data === 'string' ? parseObject(safeJson(frame.data)) : undefined;
  if (headers.topic === 'ping') {
    const opaque = typeof data?.opaque === 'string' ? data.opaque : undefined;
    return { kind: 'pong', messageId, opaque };
  }
  const status = typeof data?.status === 'string' ? data.status : undefined;
  return { kind: 'ack', messageId, status };
}

function parseObject(value: unknown): Record<string, unknown> | undefined {
  const v = typeof value === 'string' ? safeJson(value) : value;
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

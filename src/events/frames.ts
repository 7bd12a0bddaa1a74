import { z } from 'zod';

/**
 * The frames of DingTalk's Stream protocol (reference dingtalk-stream.md, "Frames"): what the
 * gateway sends, and the two answers a client gives (an ACK per EVENT, the echo of a ping).
 */
const downstream = z.object({
  type: z.string(),
  headers: z.record(z.string(), z.unknown()),
  data: z.string().optional(),
});
export type Downstream = z.output<typeof downstream>;

/** A frame from the gateway, or undefined when it is not one (not JSON, no type or headers). */
export function readFrame(raw: string): Downstream | undefined {
  try {
    const parsed = downstream.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ACK of one delivery, by its messageId. Only SUCCESS is ever sent: what cannot be
 * queued is left unanswered, so DingTalk redelivers it about 60 s later. LATER also asks
 * for a redelivery, but when is undocumented, and while Redis is down it could turn into a
 * tight loop of redeliveries.
 */
export function ackFrame(messageId: string): string {
  return JSON.stringify({
    code: 200,
    headers: { contentType: 'application/json', messageId },
    message: 'OK',
    data: JSON.stringify({ status: 'SUCCESS', message: 'ok' }),
  });
}

/** A ping's echo: the same headers and data, with `code: 200`. */
export function pongFrame(ping: Downstream): string {
  return JSON.stringify({ code: 200, headers: ping.headers, message: 'OK', data: ping.data });
}

import { createHmac } from 'node:crypto';
import { RequestError } from 'got';
import type { NotifySettings } from '../config/schema.js';
import { httpClient } from '../http/client.js';
import type { IncidentKind, Message } from './messages.js';

export type Channel = 'dingtalk_robot' | 'webhook';

/** How one send ended: the `outcome` label of dtsync_notifications_total. */
export type SendOutcome = 'ok' | 'error' | 'timeout' | 'rate_limited';

export interface SendResult {
  readonly channel: Channel;
  readonly outcome: SendOutcome;
  /** Why it failed: a code or the robot's errcode and errmsg, never a URL or a secret. */
  readonly detail?: string;
}

/** What a notification is about, for the generic webhook's JSON. */
export interface Envelope {
  readonly kind: IncidentKind;
  readonly state: 'open' | 'resolved';
  readonly profileId: string;
  readonly runId: string | undefined;
  readonly message: Message;
}

/**
 * The robot webhook with DingTalk's 加签 signature: `timestamp` (ms) and the URL-encoded Base64
 * of HMAC-SHA256(key = secret, data = `${timestamp}\n${secret}`), appended to the URL.
 */
export function signedRobotUrl(webhook: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return `${webhook}&timestamp=${timestampMs}&sign=${encodeURIComponent(sign)}`;
}

const failed = (channel: Channel, err: unknown): SendResult => {
  // got's errors hold the request (the URL with its token): only the code leaves here
  const code = err instanceof RequestError ? err.code : 'ERR_UNKNOWN';
  return { channel, outcome: code === 'ETIMEDOUT' ? 'timeout' : 'error', detail: code };
};

/** Posts a markdown message to a DingTalk group robot; a non-zero errcode is a failure. */
export async function sendRobot(
  robot: NonNullable<NotifySettings['dingtalkRobot']>,
  message: Message,
  timeoutMs: number,
  now: number,
): Promise<SendResult> {
  const channel = 'dingtalk_robot';
  const webhook = robot.webhook.reveal();
  try {
    const res = await httpClient(timeoutMs).post(signedRobotUrl(webhook, robot.secret.reveal(), now), {
      json: { msgtype: 'markdown', markdown: { title: message.title, text: message.text } },
      headers: { 'content-type': 'application/json' },
    });
    let answer: { errcode?: unknown; errmsg?: unknown } = {};
    try {
      answer = JSON.parse(res.body) as typeof answer;
    } catch {
      return { channel, outcome: 'error', detail: `HTTP ${res.statusCode}: not JSON` };
    }
    if (res.statusCode === 200 && answer.errcode === 0) return { channel, outcome: 'ok' };
    const token = new URL(webhook).searchParams.get('access_token') ?? '';
    const raw = typeof answer.errmsg === 'string' ? answer.errmsg : '';
    const errmsg = (token === '' ? raw : raw.split(token).join('***')).slice(0, 200);
    const errcode = typeof answer.errcode === 'number' ? answer.errcode : 'none';
    return { channel, outcome: 'error', detail: `errcode ${errcode}: ${errmsg}` };
  } catch (err) {
    return failed(channel, err);
  }
}

/** Posts the notification as JSON to a generic webhook; any 2xx is a success. */
export async function sendWebhook(
  hook: NonNullable<NotifySettings['webhook']>,
  e: Envelope,
  timeoutMs: number,
): Promise<SendResult> {
  const channel = 'webhook';
  const headers = Object.fromEntries(Object.entries(hook.headers ?? {}).map(([k, v]) => [k, v.reveal()]));
  try {
    const res = await httpClient(timeoutMs).post(hook.url, {
      json: {
        source: 'dtsync',
        kind: e.kind,
        state: e.state,
        profileId: e.profileId,
        runId: e.runId,
        title: e.message.title,
        text: e.message.text,
      },
      headers,
    });
    if (res.statusCode >= 200 && res.statusCode < 300) return { channel, outcome: 'ok' };
    return { channel, outcome: 'error', detail: `HTTP ${res.statusCode}` };
  } catch (err) {
    return failed(channel, err);
  }
}

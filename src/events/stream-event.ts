import { z } from 'zod';

/**
 * The contact events an internal app receives (reference dingtalk-contacts-api.md §7): the ones
 * the sync acts on. Others (`org_admin_add`, role and label events…) still reach the handler,
 * which ACKs and counts them.
 */
export const CONTACT_EVENT_TYPES = [
  'user_add_org',
  'user_modify_org',
  'user_leave_org',
  'user_active_org',
  'org_dept_create',
  'org_dept_modify',
  'org_dept_remove',
] as const;
export type ContactEventType = (typeof CONTACT_EVENT_TYPES)[number];

export function isContactEvent(type: string): type is ContactEventType {
  return (CONTACT_EVENT_TYPES as readonly string[]).includes(type);
}

/** One EVENT frame as the handler gets it: DingTalk's ids, never more (re-read before acting). */
export interface StreamEvent {
  /** The same on every redelivery, whatever the messageId: deduplicate on it. */
  readonly eventId: string;
  readonly eventType: string;
  /** This delivery's id (what the ACK names); a redelivery may carry a new one. */
  readonly messageId: string;
  /** `eventCorpId`: the organisation the event is from. */
  readonly corpId: string | undefined;
  /** `eventBornTime`, epoch ms: when DingTalk made the event. */
  readonly bornAt: number | undefined;
  /** Epoch ms the frame arrived. */
  readonly receivedAt: number;
  /** `data.userId`, sent as an array or (for `user_leave_org`) a single string. */
  readonly userIds: readonly string[];
  /** `data.deptId`, sent as numbers or strings. */
  readonly deptIds: readonly number[];
  /** `data` as sent (a JSON object; empty when it was not one). */
  readonly data: Readonly<Record<string, unknown>>;
}

/** Header values arrive as strings (numbers accepted too). */
const text = z.union([z.string(), z.number()]).transform(String);
const epochMs = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

const eventHeaders = z.object({
  messageId: z.string().min(1),
  eventId: text.pipe(z.string().min(1)),
  eventType: z.string().min(1),
  eventCorpId: text.optional(),
  eventBornTime: epochMs.optional(),
});

const userIds = z.union([
  z
    .string()
    .min(1)
    .transform((id) => [id]),
  z.array(z.string().min(1)),
]);
const deptId = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const deptIds = z.union([deptId.transform((id) => [id]), z.array(deptId)]);

export type EventParse =
  | { readonly ok: true; readonly event: StreamEvent }
  /** `messageId` when the frame named one: such a frame is ACKed, as no redelivery can mend it. */
  | { readonly ok: false; readonly reason: string; readonly messageId: string | undefined };

/** Reads an EVENT frame's headers and `data`; ids that do not parse are left out, never guessed. */
export function parseEvent(headers: unknown, data: unknown, receivedAt: number): EventParse {
  const h = eventHeaders.safeParse(headers);
  if (!h.success) {
    const messageId = (headers as { messageId?: unknown } | null | undefined)?.messageId;
    return {
      ok: false,
      reason: `EVENT headers: ${h.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      messageId: typeof messageId === 'string' && messageId !== '' ? messageId : undefined,
    };
  }
  const body = jsonObject(data);
  const users = userIds.safeParse(body.userId);
  const depts = deptIds.safeParse(body.deptId);
  return {
    ok: true,
    event: {
      eventId: h.data.eventId,
      eventType: h.data.eventType,
      messageId: h.data.messageId,
      corpId: h.data.eventCorpId,
      bornAt: h.data.eventBornTime,
      receivedAt,
      userIds: users.success ? users.data : [],
      deptIds: depts.success ? depts.data : [],
      data: body,
    },
  };
}

function jsonObject(data: unknown): Record<string, unknown> {
  if (typeof data !== 'string') return {};
  try {
    const v = JSON.parse(data) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

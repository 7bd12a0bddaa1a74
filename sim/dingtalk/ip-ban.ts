import { z } from 'zod';
import type { SimState } from './context.js';
import type { SimResponse } from './envelope.js';

/**
 * DingTalk's per-IP ban (reference §4: 10,000 calls in 20 s from one egress address, then a
 * five-minute ban of every app and API): after `after` more calls, every call for `seconds`
 * gets the ban answer instead of its own, on HTTP `status` (200 or 403): `json` is
 * `{"status":1111,"wait":N}` with the seconds left, `html` DingTalk's HTML page, with no wait.
 * The page's text is unconfirmed; the reference says only that it is HTML.
 */
export const ipBanSchema = z.strictObject({
  /** Calls (of any API) served normally before the ban starts. @defaultValue 0 */
  after: z.number().int().min(0).default(0),
  seconds: z.number().positive().max(3600),
  /** @defaultValue json */
  form: z.enum(['json', 'html']).default('json'),
  /** @defaultValue 200 */
  status: z.union([z.literal(200), z.literal(403)]).default(200),
  /**
   * The `wait` each json answer gives. The reference's example gives 5 s in a five-minute ban:
   * a short wait, answered again while the ban goes on. null: the seconds left. @defaultValue null
   */
  wait: z.number().int().min(0).nullable().default(null),
  /** When the ban ends (epoch ms), set as it starts; the spent fault stays to be read. */
  until: z.number().nullable().default(null),
});

export type IpBan = z.output<typeof ipBanSchema>;

const BAN_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>访问受限</title></head><body><h1>访问受限</h1><p>您的 IP 访问过于频繁，请稍后再试。</p></body></html>';

/** The ban answer for a call now, or undefined when no ban is on (counting down `after`). */
export function takeIpBan(state: SimState, now: number): SimResponse | undefined {
  const b = state.faults.ipBan;
  if (b === null) return undefined;
  if (b.until === null && b.after > 0) {
    state.faults = { ...state.faults, ipBan: { ...b, after: b.after - 1 } };
    return undefined;
  }
  const until = b.until ?? now + b.seconds * 1000;
  if (b.until === null) state.faults = { ...state.faults, ipBan: { ...b, until } };
  if (now >= until) return undefined;
  if (b.form === 'html') return { status: b.status, text: BAN_PAGE, contentType: 'text/html;charset=utf-8' };
  return { status: b.status, json: { status: 1111, wait: b.wait ?? Math.ceil((until - now) / 1000) } };
}

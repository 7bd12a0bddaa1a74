import { z } from 'zod';
import type { SimState } from './context.js';
import { apiError, gatewayError, oapiError, oapiSubError, type SimResponse } from './envelope.js';

/**
 * A counted fault: after `after` more calls on `paths` have been served, the next `count` calls
 * there get this fault; then it switches itself off. It puts a fault at a chosen point of a walk
 * ("mid-walk") without racing the client.
 */
export const burstSchema = z.strictObject({
  kind: z.enum([
    'throttle', // 90018 (new APIs: 403 QpsLimitForAppkeyAndApi)
    'ban', // 90002, DingTalk's global per-API limit with a ban window
    'busy', // errcode -1
    'server', // HTTP 503, a gateway page
    'reset', // the connection is closed without an answer
    'stall', // the answer waits `stallMs` (longer than the client's timeout)
    'permission', // 60011 (the app lost the API's permission)
    'expireTokens', // every token issued so far expires; the call then meets the token check
  ]),
  /** Calls on `paths` served normally before the burst starts. @defaultValue 0 */
  after: z.number().int().min(0).default(0),
  count: z.number().int().min(1),
  /** Empty: every API path. */
  paths: z.array(z.string()).default([]),
  /** For `stall`. @defaultValue 5000 */
  stallMs: z.number().int().min(0).max(120_000).default(5000),
});

export type Burst = z.output<typeof burstSchema>;
export type BurstKind = Burst['kind'];

/** What the server does for a call the burst covers. */
export type BurstAction =
  | { readonly type: 'answer'; readonly answer: SimResponse }
  | { readonly type: 'reset' }
  | { readonly type: 'stall'; readonly ms: number }
  | { readonly type: 'expireTokens' };

/** Uses one call of the burst if it covers `path`; the action to take, or undefined. */
export function takeBurst(state: SimState, path: string, api: 'oapi' | 'api'): BurstAction | undefined {
  const b = state.faults.burst;
  if (b === null || (b.paths.length > 0 && !b.paths.includes(path))) return undefined;
  if (b.after > 0) {
    state.faults = { ...state.faults, burst: { ...b, after: b.after - 1 } };
    return undefined;
  }
  state.faults = { ...state.faults, burst: b.count > 1 ? { ...b, count: b.count - 1 } : null };
  return actionOf(b, api);
}

function actionOf(b: Burst, api: 'oapi' | 'api'): BurstAction {
  switch (b.kind) {
    case 'throttle':
      return {
        type: 'answer',
        answer:
          api === 'oapi'
            ? oapiSubError('90018', '当前应用调用该接口的QPS超过限制，请降低调用频率')
            : apiError(403, 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi', '应用调用该接口的QPS超过限制'),
      };
    case 'ban':
      return { type: 'answer', answer: oapiError(90002, '服务器处理请求超过限制，请稍后重试') };
    case 'busy':
      return { type: 'answer', answer: oapiError(-1, '系统繁忙') };
    case 'server':
      return { type: 'answer', answer: gatewayError(503) };
    case 'permission':
      return {
        type: 'answer',
        answer: oapiSubError('60011', '应用尚未开通所需的权限：[qyapi_get_department_member]'),
      };
    case 'reset':
      return { type: 'reset' };
    case 'stall':
      return { type: 'stall', ms: b.stallMs };
    case 'expireTokens':
      return { type: 'expireTokens' };
  }
}

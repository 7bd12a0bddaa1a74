import type { RetryPolicy } from '../http/retry-loop.js';
import type { PdsWait } from './classify.js';

/** How the client retries 429, 5xx and network failures. 400/403/404/409 are never retried. */
export interface PdsRetrySettings {
  /** Attempts per call, the first included (a token renewal after a 401 is not counted). @defaultValue 5 */
  readonly maxAttempts: number;
  /**
   * Pause after a 429: uniformly random in [min, max] ms, as the official JS SDK does (1–4 s).
   * @defaultValue {min: 1000, max: 4000}
   */
  readonly throttleDelayMs: { readonly min: number; readonly max: number };
  /** First pause after a 5xx or network failure; doubles per attempt, jittered. @defaultValue 500 */
  readonly backoffBaseMs: number;
  /** Cap of that pause. @defaultValue 8000 */
  readonly backoffMaxMs: number;
}

export const DEFAULT_RETRY: PdsRetrySettings = {
  maxAttempts: 5,
  throttleDelayMs: { min: 1000, max: 4000 },
  backoffBaseMs: 500,
  backoffMaxMs: 8000,
};

/**
 * The two waits of the PDS client, sharing one count of tries per call (`maxAttempts` bounds
 * throttling and failures together). `random` is in [0, 1); the waits are pure, so the 1–4 s
 * rule is table-tested without waiting.
 */
export function pdsRetryPolicies(
  s: PdsRetrySettings,
  random: () => number,
): Readonly<Record<PdsWait, RetryPolicy>> {
  const shared = { budget: 'call', maxAttempts: s.maxAttempts, permanentWhenSpent: false };
  return {
    throttle: {
      ...shared,
      delayMs: () =>
        Math.round(s.throttleDelayMs.min + random() * (s.throttleDelayMs.max - s.throttleDelayMs.min)),
    },
    backoff: {
      ...shared,
      // "Equal jitter": never less than half the step, and spread so workers that failed together
      // do not come back together.
      delayMs: (attempt) => {
        const ceiling = Math.min(s.backoffMaxMs, s.backoffBaseMs * 2 ** (attempt - 1));
        return Math.round(ceiling / 2 + (random() * ceiling) / 2);
      },
    },
  };
}

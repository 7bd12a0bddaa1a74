import type { PdsWait } from './classify.js';

/** How the client retries 429, 5xx and network failures. 400/403/404/409 are never retried. */
export interface RetryPolicy {
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

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  throttleDelayMs: { min: 1000, max: 4000 },
  backoffBaseMs: 500,
  backoffMaxMs: 8000,
};

/**
 * Pause before attempt `attempt + 1`. `random` is in [0, 1). Pure, so the 1–4 s rule is
 * table-tested without waiting.
 */
export function retryDelayMs(
  wait: PdsWait,
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (wait === 'throttle') {
    const { min, max } = policy.throttleDelayMs;
    return Math.round(min + random() * (max - min));
  }
  // "Equal jitter": never less than half the step, and spread so workers that failed together
  // do not come back together.
  const ceiling = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

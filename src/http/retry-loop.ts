import { pause } from '../errors/abort.js';

/*
 * The one retry loop of both remote clients. Each client keeps its own classification (what a
 * DingTalk errcode or a PDS status means); the loop, the waits and the words are shared.
 *
 * Why not p-retry: it waits by one exponential formula for every failure (factor, minTimeout,
 * randomize) and counts one `retries` budget per call. Our clients wait by what failed (DingTalk
 * 1 s for 90018 but 1, 2, 4 s for 90002; PDS a random 1–4 s on 429 but a jittered backoff on
 * 5xx), count DingTalk's tries per policy, renew a refused token once without counting it, and
 * never repeat a group create after a 5xx. Through p-retry every outcome would be thrown and
 * every wait slept in `onFailedAttempt`, around a zero `minTimeout`: its delay logic unused.
 */

/** Hands out the current access token; `invalidate` drops it after the remote refused it. */
export interface TokenSource {
  token(signal?: AbortSignal): Promise<string>;
  invalidate(token: string): void;
}

/** What every remote call names: its API path, the source of its token, its cancellation. */
export interface CallSpec {
  /** The API path only, never a query (it may hold a secret or a token). */
  readonly path: string;
  /** The bearer of an API call; absent for a token request itself. */
  readonly tokens?: TokenSource | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** How a retried failure waits, and how many tries it gets. */
export interface RetryPolicy {
  /**
   * Failures that share one count of tries: each DingTalk policy counts its own, PDS counts all
   * retries of a call together.
   */
  readonly budget: string;
  /** Attempts in all within the budget, the first included (a token renewal is not counted). */
  readonly maxAttempts: number;
  /** The wait before retry `n` of the budget (1-based). */
  delayMs(n: number): number;
  /**
   * The error is permanent once the tries are spent: the job then fails at once
   * (`UnrecoverableError`) instead of re-running the whole sync on BullMQ's back-off.
   */
  readonly permanentWhenSpent: boolean;
}

/**
 * What a client's classification says of one failed attempt, in the one vocabulary of both:
 * retry after the wait named `wait`; renew the token once (`permanent`: how the error reads if
 * the fresh token is refused too); or fail. `kind` is what the error will say it is.
 */
export type RetryDecision<W extends string, K extends string> =
  | { readonly action: 'retry'; readonly wait: W; readonly kind: K }
  | { readonly action: 'renew-token'; readonly kind: K; readonly permanent: boolean }
  | { readonly action: 'fail'; readonly kind: K; readonly permanent: boolean };

/** How the error of a call that ended on `decision` reads. */
export interface Verdict<K extends string> {
  readonly kind: K;
  /** An operator must act: re-running would not help. */
  readonly permanent: boolean;
  /** The loop retried failures of this kind and spent its tries (or could not repeat the call). */
  readonly retryable: boolean;
}

export function verdictOf<W extends string, K extends string>(
  d: RetryDecision<W, K>,
  policies: Readonly<Record<W, RetryPolicy>>,
): Verdict<K> {
  switch (d.action) {
    case 'retry':
      return { kind: d.kind, permanent: policies[d.wait].permanentWhenSpent, retryable: true };
    case 'renew-token':
    case 'fail':
      return { kind: d.kind, permanent: d.permanent, retryable: false };
  }
}

/** One attempt: a value, or the failure with what the client's classification decided of it. */
export type Attempted<T, F, D> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: F; readonly decision: D };

export interface RetryCall<T, F, W extends string, K extends string, D extends RetryDecision<W, K>> {
  readonly tokens?: TokenSource | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly policies: Readonly<Record<W, RetryPolicy>>;
  /** Sends once with `token` (undefined without a token source) and classifies the answer. */
  attempt(token: string | undefined, attempt: number): Promise<Attempted<T, F, D>>;
  /** False when the call must not be repeated after this wait (a write that may have landed). */
  mayRetry?(wait: W): boolean;
  /** The error the call ends with; `attempts` counts every HTTP attempt, renewals included. */
  error(failure: F, decision: D, verdict: Verdict<K>, attempts: number): Error;
  /** Before each wait (a debug line). */
  onRetry?(failure: F, decision: D, retry: number, waitMs: number): void;
}

/**
 * Runs one call to its end: attempts, a token renewed once on a refused token, the retries and
 * waits the decisions name, bounded per budget, and the error of the decision that ended it. An
 * abort ends a wait at once, with the signal's reason.
 */
export async function retryLoop<T, F, W extends string, K extends string, D extends RetryDecision<W, K>>(
  call: RetryCall<T, F, W, K, D>,
): Promise<T> {
  const tries = new Map<string, number>();
  let attempts = 0;
  let renewed = false;
  for (;;) {
    const token = await call.tokens?.token(call.signal);
    attempts++;
    const r = await call.attempt(token, attempts);
    if (r.ok) return r.value;
    const d = r.decision;
    if (d.action === 'renew-token' && token !== undefined) {
      call.tokens?.invalidate(token);
      if (!renewed) {
        renewed = true;
        continue;
      }
    }
    if (d.action !== 'retry') throw call.error(r.failure, d, verdictOf(d, call.policies), attempts);
    const policy = call.policies[d.wait];
    const n = (tries.get(policy.budget) ?? 0) + 1;
    tries.set(policy.budget, n);
    if (n >= policy.maxAttempts || call.mayRetry?.(d.wait) === false)
      throw call.error(r.failure, d, verdictOf(d, call.policies), attempts);
    const waitMs = policy.delayMs(n);
    call.onRetry?.(r.failure, d, n, waitMs);
    await pause(waitMs, call.signal);
  }
}

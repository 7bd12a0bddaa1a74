import { describe, expect, it } from '@jest/globals';
import {
  retryLoop,
  type RetryDecision,
  type RetryPolicy,
  type TokenSource,
  type Verdict,
} from '../../src/http/retry-loop.js';

type Wait = 'a' | 'b';
type Decision = RetryDecision<Wait, string>;

const policy = (budget: string, maxAttempts: number, delay = 0): RetryPolicy => ({
  budget,
  maxAttempts,
  delayMs: () => delay,
  permanentWhenSpent: false,
});

class Ended extends Error {
  constructor(
    readonly decision: Decision,
    readonly verdict: Verdict<string>,
    readonly attempts: number,
  ) {
    super(decision.action);
  }
}

/** A call whose attempts answer `script` in order (a decision, or 'ok'). */
function scripted(
  script: readonly (Decision | 'ok')[],
  o: {
    policies: Record<Wait, RetryPolicy>;
    tokens?: TokenSource;
    mayRetry?: (w: Wait) => boolean;
    signal?: AbortSignal;
  },
) {
  const seen: (string | undefined)[] = [];
  const run = retryLoop<string, null, Wait, string, Decision>({
    ...o,
    attempt: (token) => {
      seen.push(token);
      const next = script[seen.length - 1] ?? 'ok';
      return Promise.resolve(
        next === 'ok' ? { ok: true, value: 'done' } : { ok: false, failure: null, decision: next },
      );
    },
    error: (_f, d, v, attempts) => new Ended(d, v, attempts),
  });
  return { run, seen };
}

const retry = (wait: Wait): Decision => ({ action: 'retry', wait, kind: `k${wait}` });
const failure = (e: unknown) => e as Ended;

describe('the one retry loop of both clients', () => {
  it('each budget counts its own tries (DingTalk); a shared budget bounds every wait of a call (PDS)', async () => {
    const own = scripted([retry('a'), retry('b'), retry('a'), retry('b'), 'ok'], {
      policies: { a: policy('a', 3), b: policy('b', 3) },
    });
    await expect(own.run).resolves.toBe('done');
    expect(own.seen).toHaveLength(5);

    const shared = scripted([retry('a'), retry('b'), retry('a'), 'ok'], {
      policies: { a: policy('call', 3), b: policy('call', 3) },
    });
    const e = failure(await shared.run.catch((err: unknown) => err));
    expect(e.verdict).toEqual({ kind: 'ka', permanent: false, retryable: true });
    expect(e.attempts).toBe(3);
  });

  it('a refused token is renewed once per call and not counted as a try; refused again, the call fails', async () => {
    let issued = 0;
    const invalidated: string[] = [];
    const tokens: TokenSource = {
      token: () => Promise.resolve(`t${++issued}`),
      invalidate: (t) => invalidated.push(t),
    };
    const renew: Decision = { action: 'renew-token', kind: 'token', permanent: true };
    const once = scripted([retry('a'), renew, retry('a'), 'ok'], {
      policies: { a: policy('a', 3), b: policy('b', 3) },
      tokens,
    });
    await expect(once.run).resolves.toBe('done');
    expect(once.seen).toEqual(['t1', 't2', 't3', 't4']);

    const twice = scripted([renew, renew], { policies: { a: policy('a', 3), b: policy('b', 3) }, tokens });
    const e = failure(await twice.run.catch((err: unknown) => err));
    expect(e.verdict).toEqual({ kind: 'token', permanent: true, retryable: false });
    expect(e.attempts).toBe(2);
    expect(invalidated).toEqual(['t2', 't5', 't6']);
  });

  it('a wait the call may not repeat after ends it at once, retryable (a group create after a 5xx)', async () => {
    const c = scripted([retry('b'), 'ok'], {
      policies: { a: policy('call', 5), b: policy('call', 5) },
      mayRetry: (w) => w !== 'b',
    });
    const e = failure(await c.run.catch((err: unknown) => err));
    expect(e.verdict).toMatchObject({ retryable: true, permanent: false });
    expect(c.seen).toHaveLength(1);
  });

  it('a cancelled call ends its wait at once with the signal’s own reason', async () => {
    const ac = new AbortController();
    const c = scripted([retry('a'), 'ok'], {
      policies: { a: policy('a', 3, 3_600_000), b: policy('b', 3) },
      signal: ac.signal,
    });
    const reason = new Error('job cancelled');
    ac.abort(reason);
    await expect(c.run).rejects.toBe(reason);
  });
});

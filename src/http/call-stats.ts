/** How a remote call ended, for `dtsync_remote_calls_total{outcome}`. */
export type CallOutcome = 'ok' | 'throttled' | 'error';

/** Calls per API path (and writes apart), for the run report and metrics. */
export class CallStats {
  readonly #calls = new Map<string, number>();
  readonly #writes = new Map<string, number>();
  readonly #outcomes: Record<CallOutcome, Map<string, number>> = {
    ok: new Map(),
    throttled: new Map(),
    error: new Map(),
  };

  count(path: string, isWrite = false): void {
    this.#calls.set(path, (this.#calls.get(path) ?? 0) + 1);
    if (isWrite) this.#writes.set(path, (this.#writes.get(path) ?? 0) + 1);
  }

  /** Counts how one attempt ended (the clients classify; a retried call counts each attempt). */
  outcome(path: string, outcome: CallOutcome): void {
    const m = this.#outcomes[outcome];
    m.set(path, (m.get(path) ?? 0) + 1);
  }

  /** Attempts by path and outcome so far: a live view the metrics flush reads deltas from. */
  outcomes(): { path: string; outcome: CallOutcome; n: number }[] {
    return (['ok', 'throttled', 'error'] as const).flatMap((outcome) =>
      [...this.#outcomes[outcome]].map(([path, n]) => ({ path, outcome, n })),
    );
  }

  calls(): Record<string, number> {
    return Object.fromEntries([...this.#calls].sort(([a], [b]) => a.localeCompare(b)));
  }

  writes(): Record<string, number> {
    return Object.fromEntries([...this.#writes].sort(([a], [b]) => a.localeCompare(b)));
  }

  totalWrites(): number {
    let n = 0;
    for (const v of this.#writes.values()) n += v;
    return n;
  }
}

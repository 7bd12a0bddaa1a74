import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import pMap from 'p-map';

/**
 * Why no shared signal collects a listener per call. Every remote call listens on the signal it
 * is given while it waits: its request (got), its place among the unanswered calls, its pacer
 * booking, a retry's pause (the timer and the wait around it). Hundreds of calls in flight on a
 * run's one signal made Node warn of a leak, and a real leak would then go unseen. So each unit
 * of concurrent work (a department listing, a user record) gets a signal of its own, whose
 * listeners are its own calls' (a few, under Node's default limit of 10), and each lane of units
 * has a signal of its own that holds one listener per unit in flight; the lane listens on the
 * shared signal once.
 */

/**
 * At most `inFlight` units of work at once, each with a signal of its own that aborts when
 * `parent` does. `close()` once no more work will be added: the lane stops listening on
 * `parent` when the units already given to it have settled (a failed map leaves some running).
 */
export class Lane {
  readonly #own = new AbortController();
  readonly #limit: LimitFunction;
  readonly #onAbort: () => void;
  #closed = false;

  constructor(
    private readonly parent: AbortSignal | undefined,
    readonly inFlight: number,
  ) {
    // one listener per unit running, and the limit below runs at most `inFlight` of them: one
    // more would be a unit's own call listening here, the leak this module exists to prevent
    setMaxListeners(inFlight, this.#own.signal);
    this.#limit = pLimit(inFlight);
    this.#onAbort = () => this.#own.abort(parent?.reason);
    if (parent?.aborted === true) this.#onAbort();
    else parent?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Runs `work` once a place is free, with a signal of its own. */
  async run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.#limit(() => withOwnSignal(this.#own.signal, work));
    } finally {
      this.#detachWhenIdle();
    }
  }

  close(): void {
    this.#closed = true;
    this.#detachWhenIdle();
  }

  #detachWhenIdle(): void {
    if (this.#closed && this.#limit.activeCount + this.#limit.pendingCount === 0)
      this.parent?.removeEventListener('abort', this.#onAbort);
  }
}

/** `work` with a signal of its own, aborted with `parent`; `parent` holds one listener meanwhile. */
export async function withOwnSignal<T>(
  parent: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const own = new AbortController();
  const onAbort = () => own.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  try {
    return await work(own.signal);
  } finally {
    parent.removeEventListener('abort', onAbort);
  }
}

/**
 * `work` for each item, `concurrency` at a time, in one lane (see Lane). Items are pulled lazily
 * (p-map): no promise per item is made before its turn.
 */
export async function mapInLane<T, R>(
  items: Iterable<T>,
  o: { readonly concurrency: number; readonly signal: AbortSignal | undefined },
  work: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const lane = new Lane(o.signal, o.concurrency);
  try {
    return await pMap(items, (item) => lane.run((signal) => work(item, signal)), {
      concurrency: o.concurrency,
    });
  } finally {
    lane.close();
  }
}

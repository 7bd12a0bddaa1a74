/**
 * The waits a simulator holds answers back for (latency, stalls), all ended when it closes, so
 * no timer outlives it. A set of timers, not an abort signal every waiting request listens on:
 * any number of requests may wait at once.
 */
export class Waits {
  readonly #ends = new Set<() => void>();

  /** Resolves after `ms`; rejects at once when the simulator closes meanwhile. */
  for(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#ends.delete(end);
        resolve();
      }, ms);
      const end = () => {
        clearTimeout(timer);
        reject(new Error('simulator closing'));
      };
      this.#ends.add(end);
    });
  }

  endAll(): void {
    for (const end of this.#ends) end();
    this.#ends.clear();
  }
}

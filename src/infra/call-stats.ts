/** Calls per API path (and writes apart), for the run report and metrics. */
export class CallStats {
  readonly #calls = new Map<string, number>();
  readonly #writes = new Map<string, number>();

  count(path: string, isWrite = false): void {
    this.#calls.set(path, (this.#calls.get(path) ?? 0) + 1);
    if (isWrite) this.#writes.set(path, (this.#writes.get(path) ?? 0) + 1);
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

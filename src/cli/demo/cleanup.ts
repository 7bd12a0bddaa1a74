/**
 * What the demo started, stopped in reverse order of starting. Every step registers its stop the
 * moment it has started, so an error half-way still stops everything that was running.
 */
export class Cleanup {
  readonly #stops: { readonly name: string; readonly stop: () => Promise<void> | void }[] = [];
  #done: Promise<string[]> | undefined;

  add(name: string, stop: () => Promise<void> | void): void {
    this.#stops.push({ name, stop });
  }

  /** Stops everything once (later calls wait for the first); returns what failed to stop. */
  run(): Promise<string[]> {
    this.#done ??= (async () => {
      const failed: string[] = [];
      for (const s of this.#stops.splice(0).reverse()) {
        try {
          await s.stop();
        } catch (err) {
          failed.push(`${s.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return failed;
    })();
    return this.#done;
  }
}

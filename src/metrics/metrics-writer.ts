import type { RedisClient } from '../redis/client.js';
import type { Profile } from '../config/schema.js';
import type { EngineDeps, RunProgress } from '../engine/run-sync.js';
import type { Logger } from '../process/logger.js';
import { addRun, CallsDelta, type EndedFigures } from './run-metrics.js';
import { MetricsBatch, type Labels } from './store.js';

type EngineFor = (profile: Profile, signal: AbortSignal, onProgress: (p: RunProgress) => void) => EngineDeps;

/**
 * Writes metrics to Redis in batches: a worker's runs when they end, with the remote calls of
 * runs still going every `flushEveryMs`, and the notifications a worker or scheduler sends.
 * Writing never fails a run: a failed flush is logged and carried by the next one.
 */
export class MetricsWriter {
  readonly #batch: MetricsBatch;
  readonly #live = new Set<CallsDelta>();
  readonly #timer: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly log: Logger,
    /** How often the calls of long runs are written. @defaultValue 10000 */
    flushEveryMs = 10_000,
  ) {
    this.#batch = new MetricsBatch(redis, prefix);
    this.#timer = setInterval(() => void this.flush(), flushEveryMs).unref();
  }

  /** The engine factory, with each run's remote calls metered until its report is saved. */
  meter(engineFor: EngineFor): EngineFor {
    return (profile, signal, onProgress) => {
      // the run's counters exist once the factory has built its clients
      const run: { calls?: CallsDelta } = {};
      const deps = engineFor(profile, signal, (p) => {
        if (p.phase === 'done' && run.calls !== undefined) {
          run.calls.addTo(this.#batch);
          this.#live.delete(run.calls);
          void this.flush();
        }
        onProgress(p);
      });
      run.calls = new CallsDelta(deps.stats);
      this.#live.add(run.calls);
      return deps;
    };
  }

  /** An attempt ended (BullMQ completed or failed): its run figures, written at once. */
  runEnded(report: EndedFigures, finalAttempt: boolean): Promise<void> {
    addRun(this.#batch, report, finalAttempt);
    return this.flush();
  }

  /** Adds to a counter and writes it (rare events: notifications, attempts with no report). */
  count(name: string, labels: Labels, n = 1): Promise<void> {
    this.#batch.add(name, labels, n);
    return this.flush();
  }

  /** Writes everything buffered; one flush at a time. Never rejects. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(async () => {
      for (const c of this.#live) c.addTo(this.#batch);
      try {
        await this.#batch.flush();
      } catch (err) {
        this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics flush failed');
      }
    });
    return this.#flushing;
  }

  /** Stops the timer and writes what is left (shutdown, before Redis closes). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}

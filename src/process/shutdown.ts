import type { Logger } from './logger.js';

/** Close order: first stop taking work from outside, then finish work, then drop connections. */
export const SHUTDOWN_STAGES = ['intake', 'work', 'connections'] as const;
export type ShutdownStage = (typeof SHUTDOWN_STAGES)[number];

interface Closer {
  readonly name: string;
  readonly close: () => Promise<void>;
}

/**
 * Ordered graceful shutdown on SIGINT/SIGTERM with a force-quit timer: HTTP and schedulers
 * first, then workers (which bound their own wait), then Redis connections.
 */
export class Shutdown {
  readonly #stages = new Map<ShutdownStage, Closer[]>(SHUTDOWN_STAGES.map((s) => [s, []]));
  #running: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly forceAfterMs: number,
  ) {}

  add(stage: ShutdownStage, name: string, close: () => Promise<void>): void {
    this.#stages.get(stage)?.push({ name, close });
  }

  /** Installs the signal handlers; a second signal forces exit at once. */
  install(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.#running !== undefined) {
          this.log.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        void this.run(signal).then(() => process.exit(process.exitCode ?? 0));
      });
    }
  }

  run(reason: string): Promise<void> {
    this.#running ??= this.#close(reason);
    return this.#running;
  }

  async #close(reason: string): Promise<void> {
    this.log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      this.log.error({ afterMs: this.forceAfterMs }, 'shutdown took too long: forcing exit');
      process.exit(1);
    }, this.forceAfterMs);
    force.unref();
    for (const stage of SHUTDOWN_STAGES) {
      const closers = this.#stages.get(stage) ?? [];
      await Promise.all(
        closers.map(async (c) => {
          try {
            await c.close();
          } catch (err) {
            this.log.warn({ component: c.name, err }, 'error while closing');
          }
        }),
      );
    }
    clearTimeout(force);
    this.log.info('shut down');
  }
}

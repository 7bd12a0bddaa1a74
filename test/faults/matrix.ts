import { appendFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { testKeyPair } from '../helpers/sims.js';
import { Cell } from './cell.js';
import { findNeedles, logHaystacks, pemNeedles, redisHaystacks, type Needle } from './secrets.js';

/** A process cell's time from the fault to the run's end, when it measured one. */
function recoveryOf(r: unknown): number | undefined {
  const ms = (r as { episode?: { result?: { recoveryMs?: unknown } } }).episode?.result?.recoveryMs;
  return typeof ms === 'number' ? ms : undefined;
}

export type CellBody<R> = (cell: Cell) => Promise<R>;

/**
 * Cells that share nothing (their own simulators, Redis prefix and log) run side by side, a few
 * at a time; each test awaits its own cell. Cells stay open until `close()`, so the secrets
 * search can read what they left in Redis and in their logs.
 */
export class Matrix<R> {
  readonly #results = new Map<string, Promise<R>>();
  readonly #cells: Cell[] = [];
  readonly #timings: { file: string; cell: string; ms: number; recoveryMs: number | undefined }[] = [];

  constructor(
    private readonly name: string,
    private readonly bodies: Readonly<Record<string, CellBody<R>>>,
    private readonly seedBase: number,
    private readonly concurrency = 4,
  ) {}

  start(): void {
    const limit = pLimit(this.concurrency);
    Object.entries(this.bodies).forEach(([title, body], i) => {
      const result = limit(async () => {
        const t0 = Date.now();
        const cell = await Cell.start(`${this.name}${i}`, this.seedBase + i);
        this.#cells.push(cell);
        const r = await body(cell);
        this.#timings.push({ file: this.name, cell: title, ms: Date.now() - t0, recoveryMs: recoveryOf(r) });
        return r;
      });
      result.catch(() => undefined); // awaited by its test; never an unhandled rejection
      this.#results.set(title, result);
    });
  }

  result(title: string): Promise<R> {
    const r = this.#results.get(title);
    if (r === undefined) throw new Error(`no cell "${title}"`);
    return r;
  }

  /** Every secret and personal datum of every cell, found in its Redis keys, values and log lines. */
  async secretsFound(more: readonly Needle[] = []): Promise<{ found: string[]; searched: number }> {
    await Promise.allSettled(this.#results.values());
    const found: string[] = [];
    let searched = 0;
    for (const cell of this.#cells) {
      const { env } = cell;
      const pds = env.pds.control.secretsSeen();
      const needles: Needle[] = [
        { label: 'DingTalk appSecret', value: env.dingtalk.appSecret },
        ...pemNeedles('PDS private key', testKeyPair().privateKeyPem),
        ...pds.accessTokens.map((value) => ({ label: 'PDS access token', value })),
        ...pds.assertions.map((value) => ({ label: 'PDS JWT assertion', value })),
        ...env.dingtalk.control.tokensIssued().map((value) => ({ label: 'DingTalk access token', value })),
        ...cell.moreSecrets.flatMap((f) => f()),
        ...[...cell.personal].map((value) => ({ label: `phone or email ${value}`, value })),
        ...more,
      ];
      const hay = [...(await redisHaystacks(env.redis, env.prefix)), ...logHaystacks(env.prefix, cell.logs)];
      for (const url of cell.redisUrls) {
        const other = new Redis(url, { maxRetriesPerRequest: 1 });
        try {
          hay.push(...(await redisHaystacks(other, env.prefix)));
        } finally {
          other.disconnect();
        }
      }
      searched += hay.length;
      found.push(...findNeedles(hay, needles));
    }
    return { found, searched };
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#results.values());
    // FAULTS_TIMINGS=<file>: each cell's wall time and recovery time, for docs/reliability.md
    const out = process.env.FAULTS_TIMINGS;
    if (out !== undefined && out !== '')
      appendFileSync(out, this.#timings.map((t) => `${JSON.stringify(t)}\n`).join(''));
    await Promise.all(this.#cells.map((c) => c.close()));
  }
}

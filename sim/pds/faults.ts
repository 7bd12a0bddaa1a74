import { z } from 'zod';
import { mulberry32 } from '../prng.js';
import { SimError } from './errors.js';
import type { FaultPaths, PdsFaults } from './types.js';

export const TOKEN_PATH = '/v2/oauth/token';

const count = z.number().int().min(0);
const paths = z.array(z.string().startsWith('/')).nullable().default(null);
const status = (min: number, max: number) => z.number().int().min(min).max(max);

/** `POST /_sim/faults`: every key optional, `null` switches a fault off; `expireTokens` is an action. */
const patchSchema = z.strictObject({
  qps: z.number().positive().nullable().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  inject: z
    .strictObject({
      count,
      paths,
      status: status(400, 599),
      code: z.string().min(1),
      message: z.string().default('Injected by the PDS simulator.'),
    })
    .nullable()
    .optional(),
  errorRate: z
    .strictObject({
      rate: z.number().min(0).max(1),
      status: status(500, 599).default(500),
      paths,
      seed: z.number().int().default(1),
    })
    .nullable()
    .optional(),
  failAfterApply: z
    .strictObject({ count, paths, status: status(500, 599).default(503) })
    .nullable()
    .optional(),
  malformed: z.strictObject({ count, paths }).nullable().optional(),
  gatewayError: z
    .strictObject({
      count,
      paths,
      status: status(400, 599).default(503),
      code: z.string().min(1).default('ServiceUnavailable'),
      message: z.string().default('The gateway could not serve the request.'),
    })
    .nullable()
    .optional(),
  errorCasing: z.enum(['lower', 'pascal']).optional(),
  expireTokensAfterWrites: z
    .strictObject({ writes: z.number().int().min(1) })
    .nullable()
    .optional(),
  expireTokens: z.boolean().optional(),
});

export const NO_FAULTS: PdsFaults = {
  qps: null,
  latencyMs: 0,
  inject: null,
  errorRate: null,
  failAfterApply: null,
  malformed: null,
  gatewayError: null,
  errorCasing: 'lower',
  expireTokensAfterWrites: null,
};

/** Does a fault with `paths` apply to `path`? null = every API path but the token call. */
function covers(faultPaths: FaultPaths, path: string): boolean {
  return faultPaths === null ? path !== TOKEN_PATH : faultPaths.includes(path);
}

type Counted = 'inject' | 'failAfterApply' | 'malformed' | 'gatewayError';

/** The faults switched on at run time; counted faults switch themselves off when used up. */
export class FaultState {
  #faults: PdsFaults;
  #rng: () => number = mulberry32(1);

  constructor(initial: Partial<PdsFaults> = {}) {
    this.#faults = { ...NO_FAULTS, ...initial };
  }

  get current(): PdsFaults {
    return this.#faults;
  }

  /** Merges a patch; returns whether it asked to expire every token now. */
  merge(input: unknown): { expireTokens: boolean } {
    const parsed = patchSchema.safeParse(input);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new SimError(
        400,
        'InvalidParameter',
        `faults: ${first?.path.join('.') ?? ''}: ${first?.message ?? ''}`,
      );
    }
    const { expireTokens, ...patch } = parsed.data;
    const next: Record<string, unknown> = { ...this.#faults };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) next[k] = v;
    this.#faults = next as unknown as PdsFaults;
    if (patch.errorRate !== undefined && patch.errorRate !== null)
      this.#rng = mulberry32(patch.errorRate.seed);
    return { expireTokens: expireTokens === true };
  }

  /** Uses one unit of a counted fault if it covers `path`; the fault's settings, or undefined. */
  take<K extends Counted>(kind: K, path: string): NonNullable<PdsFaults[K]> | undefined {
    const fault = this.#faults[kind];
    if (fault === null || fault.count <= 0 || !covers(fault.paths, path)) return undefined;
    const left = fault.count - 1;
    this.#faults = { ...this.#faults, [kind]: left > 0 ? { ...fault, count: left } : null };
    return fault;
  }

  /** Counts one applied write; true once, when every token must expire (mid-apply expiry). */
  wroteOne(): boolean {
    const f = this.#faults.expireTokensAfterWrites;
    if (f === null) return false;
    const left = f.writes - 1;
    this.#faults = { ...this.#faults, expireTokensAfterWrites: left > 0 ? { writes: left } : null };
    return left === 0;
  }

  /** A random 5xx under the `errorRate` fault. */
  rateError(path: string): number | undefined {
    const f = this.#faults.errorRate;
    if (f === null || !covers(f.paths, path)) return undefined;
    return this.#rng() < f.rate ? f.status : undefined;
  }
}

import { z } from 'zod';
import type { SnapshotProgress } from '../source/build-snapshot.js';

/** Reading DingTalk (and PDS beside it), reading what is left of PDS, planning, applying. */
export const RUN_PHASES = ['source', 'target', 'plan', 'apply', 'done'] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/** A run's progress as the worker reports it (BullMQ job progress; the CLI and pages show it). */
export interface RunProgress {
  readonly phase: RunPhase;
  /** Read so far. */
  readonly read: {
    readonly dingtalkDepartments: number;
    readonly dingtalkUsers: number;
    readonly pdsUsers: number;
  };
  /** Applying: records done of the records to apply. */
  readonly done?: number;
  readonly total?: number;
  /** Applying: writes made so far. */
  readonly applied?: {
    readonly created: number;
    readonly updated: number;
    readonly disabled: number;
    readonly failed: number;
  };
}

const count = z.number().int().min(0);

/** The shape a reader of the queue checks: BullMQ hands progress back as JSON of any shape. */
const runProgressSchema: z.ZodType<RunProgress> = z.object({
  phase: z.enum(RUN_PHASES),
  read: z.object({ dingtalkDepartments: count, dingtalkUsers: count, pdsUsers: count }),
  done: count.optional(),
  total: count.optional(),
  applied: z.object({ created: count, updated: count, disabled: count, failed: count }).optional(),
});

/**
 * A run's progress as the queue hands it back (a job's `progress`, a `progress` event), or
 * undefined for another shape: one from an older worker, or a job that has reported none.
 */
export function runProgressOf(value: unknown): RunProgress | undefined {
  const parsed = runProgressSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Keeps a run's progress and hands it on: at once on a change of phase, otherwise at most
 * every `everyMs` (each report is a Redis write). Safe to change the interval; one second keeps
 * a watching operator informed at a negligible cost.
 */
export class ProgressTracker {
  #phase: RunPhase = 'source';
  #read = { dingtalkDepartments: 0, dingtalkUsers: 0, pdsUsers: 0 };
  #apply: Pick<RunProgress, 'done' | 'total' | 'applied'> = {};
  #last = -Infinity;

  constructor(
    private readonly emit: ((p: RunProgress) => void) | undefined,
    private readonly everyMs = 1000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  phase(phase: RunPhase): void {
    this.#phase = phase;
    this.#send(true);
  }

  dingtalk(p: SnapshotProgress): void {
    this.#read = { ...this.#read, dingtalkDepartments: p.departments, dingtalkUsers: p.users };
    this.#send(false);
  }

  pdsUsers(n: number): void {
    this.#read = { ...this.#read, pdsUsers: n };
    this.#send(false);
  }

  apply(a: Required<Pick<RunProgress, 'done' | 'total' | 'applied'>>): void {
    this.#apply = a;
    this.#send(a.done === a.total);
  }

  #send(now: boolean): void {
    if (this.emit === undefined) return;
    const t = this.clock();
    if (!now && t - this.#last < this.everyMs) return;
    this.#last = t;
    this.emit({ phase: this.#phase, read: this.#read, ...this.#apply });
  }
}

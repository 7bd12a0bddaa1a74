import { expect } from '@jest/globals';
import type { RunReport } from '../../src/report/types.js';
import type { PdsFaults } from '../../sim/pds/types.js';
import { outcomeOf, type Cell, type Convergence, type Observed } from './cell.js';

/** What a remote-fault cell leaves for its test to assert. */
export interface RemoteResult {
  readonly fault: Observed<RunReport>;
  readonly converge: Convergence;
  /** Anything else the cell measured (later runs of a persistent fault). */
  readonly extra: Record<string, unknown>;
  /** Proof the fault met the run: what is left of counted faults, and DingTalk's throttled answers. */
  readonly fired: {
    readonly dingtalkBurstLeft: unknown;
    readonly dingtalkThrottled: number;
    readonly pds: PdsFaults;
  };
}

/**
 * A remote-fault cell: the first sync, churn, the fault switched on, one run under it, then
 * convergence with the fault off.
 */
export function remoteCell(
  fault: (cell: Cell) => void | Promise<void>,
  o: {
    /** Set-up before the first sync (a scoped profile). */
    before?: (cell: Cell) => void;
    /** A difference from the expected state the cell expects (a phone a hand-made user holds). */
    allow?: (cell: Cell, line: string) => boolean;
    extra?: (cell: Cell) => Promise<Record<string, unknown>>;
    /** The fault run itself, when it is not a plain run of the cell's profile (a swapped config). */
    run?: (cell: Cell) => Promise<RunReport>;
  } = {},
): (cell: Cell) => Promise<RemoteResult> {
  return async (cell) => {
    o.before?.(cell);
    await cell.prepare();
    await fault(cell);
    const observed = await cell.observe(() => (o.run === undefined ? cell.run() : o.run(cell)));
    const fired = {
      dingtalkBurstLeft: cell.env.dingtalk.control.faults().burst,
      dingtalkThrottled: Object.values(cell.env.dingtalk.control.counters().throttled).reduce(
        (a, b) => a + b,
        0,
      ),
      pds: cell.env.pds.control.faults(),
    };
    const extra = o.extra === undefined ? {} : await o.extra(cell);
    const converge = await cell.converge((line) => o.allow?.(cell, line) ?? false);
    return { fault: observed, converge, extra, fired };
  };
}

/** The rules every cell holds, whatever the fault did. */
export function expectHeldAndConverged(r: RemoteResult): void {
  expect(r.fault.violations).toEqual([]);
  expect(r.converge.violations).toEqual([]);
  expect(outcomeOf(r.converge.report).status).toBe('succeeded');
  expect(r.converge.check).toEqual([]);
  expect(r.converge.nextViolations).toEqual([]);
  expect(outcomeOf(r.converge.next).status).toBe('succeeded');
  expect(r.converge.nextWrites).toBe(0);
}

/** A fault that fails the run before apply: a truthful failure and no write at all. */
export function expectFailedBeforeApply(r: RemoteResult, code: string): void {
  expect(outcomeOf(r.fault.result)).toMatchObject({ status: 'failed', code });
  expect(r.fault.writes).toBe(0);
}

/** A fault the clients ride out: the run succeeds and applies the churn. */
export function expectRecovered(r: RemoteResult): void {
  expect(outcomeOf(r.fault.result)).toEqual({ status: 'succeeded', code: undefined, permanent: undefined });
  expect(r.fault.result.failures).toEqual([]);
  expect(r.fault.writes).toBeGreaterThan(0);
}

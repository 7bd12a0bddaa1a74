/**
 * The benchmark issue's targets, judged from a result's phases (what `npm run bench` prints).
 * Reported, never enforced: the bench fails only on a wrong result or a writing no-op.
 */
export interface PhaseFigures {
  readonly ratioToFloor: number;
  readonly dingtalkCalls: Record<string, number>;
  readonly dingtalkMinimalCalls: number;
  readonly dingtalkThrottled: number;
  readonly dingtalkBusiestSecond: Record<string, number>;
  readonly pdsWrites: number;
  readonly pdsRetriedWrites: number;
  readonly pdsMinimalWrites: number;
  readonly workerPeakRssMB: number;
  readonly planMs: number;
  readonly correct: boolean;
}

export interface Target {
  readonly met: boolean;
  /** The figures that decided it, per phase. */
  readonly detail: string;
}

export const RATIO_TARGET = 1.15;
export const RSS_TARGET_MB = 400;
export const PLAN_MS_TARGET = 2000;

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

function judge(
  phases: Record<string, PhaseFigures>,
  ok: (p: PhaseFigures) => boolean,
  show: (p: PhaseFigures) => string,
): Target {
  const entries = Object.entries(phases);
  return {
    met: entries.length > 0 && entries.every(([, p]) => ok(p)),
    detail: entries.map(([name, p]) => `${name} ${show(p)}`).join(', '),
  };
}

export function judgeTargets(phases: Record<string, PhaseFigures>, dingtalkQps: number) {
  const calls = (p: PhaseFigures) => sum(p.dingtalkCalls) - p.dingtalkThrottled;
  const busiest = (p: PhaseFigures) => Math.max(0, ...Object.values(p.dingtalkBusiestSecond));
  return {
    correct: judge(
      phases,
      (p) => p.correct,
      (p) => String(p.correct),
    ),
    dingtalkCallsMinimal: judge(
      phases,
      (p) => calls(p) === p.dingtalkMinimalCalls,
      (p) => `${calls(p)}/${p.dingtalkMinimalCalls}`,
    ),
    dingtalkThrottledUnder1Percent: judge(
      phases,
      (p) => p.dingtalkThrottled < 0.01 * sum(p.dingtalkCalls),
      (p) => `${p.dingtalkThrottled}/${sum(p.dingtalkCalls)}`,
    ),
    dingtalkBusiestSecondWithinQps: judge(
      phases,
      (p) => busiest(p) <= dingtalkQps,
      (p) => `${busiest(p)}/${dingtalkQps}`,
    ),
    pdsWritesMinimal: judge(
      phases,
      (p) => p.pdsWrites - p.pdsRetriedWrites === p.pdsMinimalWrites,
      (p) => `${p.pdsWrites - p.pdsRetriedWrites}/${p.pdsMinimalWrites}`,
    ),
    noopWritesNone: judge(
      Object.fromEntries(Object.entries(phases).filter(([name]) => name === 'noop')),
      (p) => p.pdsWrites === 0,
      (p) => String(p.pdsWrites),
    ),
    ratioToFloor: judge(
      phases,
      (p) => p.ratioToFloor <= RATIO_TARGET,
      (p) => String(p.ratioToFloor),
    ),
    workerPeakRss: judge(
      phases,
      (p) => p.workerPeakRssMB <= RSS_TARGET_MB,
      (p) => `${p.workerPeakRssMB} MB`,
    ),
    planMs: judge(
      phases,
      (p) => p.planMs <= PLAN_MS_TARGET,
      (p) => `${p.planMs} ms`,
    ),
  };
}

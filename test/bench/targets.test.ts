import { describe, expect, it } from '@jest/globals';
import { judgeTargets, type PhaseFigures } from '../../bench/targets.js';

const good: PhaseFigures = {
  ratioToFloor: 1.1,
  dingtalkCalls: { '/gettoken': 1, '/topapi/v2/user/list': 299, '/topapi/v2/department/listsub': 10 },
  dingtalkMinimalCalls: 308,
  dingtalkThrottled: 2,
  dingtalkBusiestSecond: { '/topapi/v2/user/list': 20 },
  pdsWrites: 12,
  pdsRetriedWrites: 2,
  pdsMinimalWrites: 10,
  workerPeakRssMB: 300,
  planMs: 50,
  correct: true,
};

describe('the benchmark targets', () => {
  it('a result within every target meets them all, throttled calls and retried writes set apart', () => {
    const t = judgeTargets(
      { initial: good, noop: { ...good, pdsWrites: 0, pdsRetriedWrites: 0, pdsMinimalWrites: 0 } },
      20,
    );
    expect(Object.entries(t).filter(([, v]) => !v.met)).toEqual([]);
  });

  it.each([
    ['ratioToFloor', { ratioToFloor: 1.16 }],
    ['dingtalkCallsMinimal', { dingtalkMinimalCalls: 307 }],
    ['dingtalkThrottledUnder1Percent', { dingtalkThrottled: 4, dingtalkMinimalCalls: 306 }],
    ['dingtalkBusiestSecondWithinQps', { dingtalkBusiestSecond: { '/topapi/v2/user/list': 21 } }],
    ['pdsWritesMinimal', { pdsMinimalWrites: 9 }],
    ['workerPeakRss', { workerPeakRssMB: 401 }],
    ['planMs', { planMs: 2001 }],
    ['correct', { correct: false }],
  ] as const)('a phase missing %s fails that target', (name, change) => {
    const t = judgeTargets({ initial: good, churn: { ...good, ...change } }, 20);
    expect(t[name].met).toBe(false);
    expect(t[name].detail).toContain('churn');
  });

  it('a no-op phase that writes fails the no-op target', () => {
    expect(judgeTargets({ noop: { ...good, pdsWrites: 1 } }, 20).noopWritesNone.met).toBe(false);
    expect(judgeTargets({ noop: { ...good, pdsWrites: 0 } }, 20).noopWritesNone.met).toBe(true);
  });
});

import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { parseBenchArgs } from '../../bench/args.js';
import { STALL_PERIOD_MS, stallPeriodically } from '../../bench/stall.js';

describe('--stall-dingtalk: a DingTalk simulator that reads late', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('stops the simulator for the given ms every two seconds, and lets it run in between', () => {
    jest.useFakeTimers();
    const sent: string[] = [];
    const stall = stallPeriodically(42, 100, (pid, s) => sent.push(`${pid} ${s}`));
    jest.advanceTimersByTime(STALL_PERIOD_MS - 1);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(sent).toEqual(['42 SIGSTOP']);
    jest.advanceTimersByTime(100);
    expect(sent).toEqual(['42 SIGSTOP', '42 SIGCONT']);
    jest.advanceTimersByTime(STALL_PERIOD_MS - 100);
    expect(sent).toEqual(['42 SIGSTOP', '42 SIGCONT', '42 SIGSTOP']);
    stall.stop();
  });

  it('a stall is followed by a full second without one, so the backlog shows in a one-second count', () => {
    expect(STALL_PERIOD_MS).toBeGreaterThan(1000 + 900);
  });

  it('stopping the stall while the simulator is stopped lets it run again, and nothing follows', () => {
    jest.useFakeTimers();
    const sent: string[] = [];
    const stall = stallPeriodically(42, 300, (_pid, s) => sent.push(s));
    jest.advanceTimersByTime(STALL_PERIOD_MS + 100);
    expect(sent).toEqual(['SIGSTOP']);
    stall.stop();
    expect(sent).toEqual(['SIGSTOP', 'SIGCONT']);
    jest.advanceTimersByTime(5000);
    expect(sent).toEqual(['SIGSTOP', 'SIGCONT']);
  });

  it('a simulator that is gone is not waited for', () => {
    jest.useFakeTimers();
    const stall = stallPeriodically(42, 100, () => {
      throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    });
    expect(() => jest.advanceTimersByTime(3 * STALL_PERIOD_MS)).not.toThrow();
    expect(jest.getTimerCount()).toBe(1); // the interval only: no resume pending
    stall.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is off unless asked for, and takes at most 900 ms', () => {
    expect(parseBenchArgs([]).stallDingtalk).toBe(0);
    expect(parseBenchArgs(['--stall-dingtalk', '100']).stallDingtalk).toBe(100);
    expect(() => parseBenchArgs(['--stall-dingtalk', '1000'])).toThrow(/at most 900/);
    expect(() => parseBenchArgs(['--stall-dingtalk', '-5'])).toThrow(/>= 0/);
  });
});

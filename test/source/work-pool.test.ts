import { describe, expect, it } from '@jest/globals';
import { runPool } from '../../src/source/work-pool.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runPool', () => {
  it('runs tasks that add tasks, never more than the concurrency at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([1], 3, async (n, add) => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      if (n < 40) {
        add(n * 2);
        add(n * 2 + 1);
      }
      done.push(n);
      inFlight--;
    });
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 79 }, (_, i) => i + 1));
    expect(peak).toBe(3);
  });

  it('the first failure aborts the others, waits for the ones in flight, and rejects with that failure', async () => {
    const settled: number[] = [];
    const aborted: number[] = [];
    const pending = runPool([1, 2, 3, 4, 5, 6], 3, async (n, _add, signal) => {
      if (n === 2) throw new Error('department 2 failed');
      await new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => {
          aborted.push(n);
          resolve();
        });
      });
      settled.push(n);
    });
    await expect(pending).rejects.toThrow('department 2 failed');
    // 1 and 3 were in flight and were told to stop; 4-6 never started
    expect(aborted.sort()).toEqual([1, 3]);
    expect(settled.sort()).toEqual([1, 3]);
  });

  it('a cancelled parent signal rejects with its reason', async () => {
    const ac = new AbortController();
    const pending = runPool(
      [1, 2],
      2,
      async (_n, _add, signal) => {
        await new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new Error('aborted inside')));
        });
      },
      ac.signal,
    );
    ac.abort(new Error('job cancelled'));
    await expect(pending).rejects.toThrow('job cancelled');
  });
});

import { performance } from 'node:perf_hooks';
import { describe, expect, it } from '@jest/globals';
import { forEachInSlices } from '../../src/pacing/slices.js';

describe('forEachInSlices', () => {
  it('a loop over many items lets a timer that fell due run between its slices, not after the loop', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('timer'), 1);
    await forEachInSlices(
      Array.from({ length: 4000 }, (_, i) => i),
      (i) => {
        if (i === 0) {
          // the first slice outlasts the timer's delay (a busy loop, not a sleep)
          const until = performance.now() + 5;
          while (performance.now() < until);
        }
        if (i % 1000 === 0) order.push(`item ${i}`);
      },
      1000,
    );
    // the timer runs at the first turn that passes the loop's timers phase: after the first or
    // the second slice, depending on where in the loop the test started; never after the loop
    expect(order.slice(0, 1)).toEqual(['item 0']);
    expect(order.indexOf('timer')).toBeGreaterThan(0);
    expect(order.indexOf('timer')).toBeLessThan(order.indexOf('item 3000'));
  });

  it('calls the function on every item, in order', async () => {
    const seen: number[] = [];
    await forEachInSlices(new Set([3, 1, 2]), (i) => seen.push(i), 2);
    expect(seen).toEqual([3, 1, 2]);
  });
});

import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { Lane, mapInLane } from '../../src/pacing/lane.js';

/** A unit that listens on its signal as a call does, and ends when released or aborted. */
function unit(signal: AbortSignal, seen: AbortSignal[]): { done: Promise<void>; release: () => void } {
  seen.push(signal);
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    release = resolve;
    for (let i = 0; i < 3; i++) signal.addEventListener('abort', () => reject(signal.reason as Error));
  });
  return { done, release };
}

describe('a lane of concurrent work', () => {
  it('listens on the shared signal once however many units run, and each unit on a signal of its own', async () => {
    const parent = new AbortController();
    const lane = new Lane(parent.signal, 50);
    const seen: AbortSignal[] = [];
    const releases: (() => void)[] = [];
    const runs = Array.from({ length: 50 }, () =>
      lane.run((signal) => {
        const u = unit(signal, seen);
        releases.push(u.release);
        return u.done;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(50);
    expect(new Set(seen).size).toBe(50);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    expect(seen.map((s) => getEventListeners(s, 'abort').length)).toEqual(Array(50).fill(3));
    lane.close();
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1); // units still run
    releases.forEach((r) => r());
    await Promise.all(runs);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it("aborts every running unit with the shared signal's reason, and starts no more", async () => {
    const parent = new AbortController();
    const seen: AbortSignal[] = [];
    const reason = new Error('worker shutting down');
    const mapped = mapInLane(
      [1, 2, 3, 4, 5],
      { concurrency: 2, signal: parent.signal },
      (_n, signal) => unit(signal, seen).done,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toHaveLength(2);
    parent.abort(reason);
    await expect(mapped).rejects.toBe(reason);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.aborted && s.reason === reason)).toBe(true);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });

  it('a unit that fails leaves the others listening on the shared signal until they settle', async () => {
    const parent = new AbortController();
    const seen: AbortSignal[] = [];
    let release: () => void = () => undefined;
    const mapped = mapInLane([1, 2], { concurrency: 2, signal: parent.signal }, (n, signal) => {
      if (n === 1) return Promise.reject(new Error('record failed'));
      const u = unit(signal, seen);
      release = u.release;
      return u.done;
    });
    await expect(mapped).rejects.toThrow('record failed');
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });
});

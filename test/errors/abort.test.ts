import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { pause, untilAborted } from '../../src/errors/abort.js';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** One turn of the event loop: long enough for Node to report an unhandled rejection. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('one abortable wait for both clients', () => {
  it("an abort ends a retry's pause at once with the signal's own reason and clears its timer", async () => {
    const before = timers();
    const ac = new AbortController();
    const waiting = pause(60_000, ac.signal);
    expect(timers()).toBe(before + 1);
    const reason = new Error('run cancelled');
    ac.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(timers()).toBe(before);
  });

  it("a pause asked for with a signal already aborted rejects with the signal's reason", async () => {
    const reason = new Error('cancelled before');
    await expect(pause(60_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('a pause without an abort resolves', async () => {
    await expect(pause(1)).resolves.toBeUndefined();
  });

  it("waiting on shared work gives up with the signal's reason while the work goes on", async () => {
    let finish: (v: string) => void = () => undefined;
    const shared = new Promise<string>((resolve) => (finish = resolve));
    const ac = new AbortController();
    const reason = new Error('stop');
    const mine = untilAborted(shared, ac.signal);
    const other = untilAborted(shared, undefined);
    ac.abort(reason);
    await expect(mine).rejects.toBe(reason);
    finish('token');
    await expect(other).resolves.toBe('token');
  });

  it('a wait that ends normally stops listening on the signal', async () => {
    const ac = new AbortController();
    await expect(untilAborted(Promise.resolve(7), ac.signal)).resolves.toBe(7);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('shared work that fails after its only waiter gave up is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let fail: (e: Error) => void = () => undefined;
      const shared = new Promise<never>((_resolve, reject) => (fail = reject));
      const mine = untilAborted(shared, AbortSignal.abort(new Error('cancelled')));
      await expect(mine).rejects.toThrow('cancelled');
      fail(new Error('token endpoint down'));
      await turn();
      await turn();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import type { StreamClient } from '../../src/events/stream-client.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import type { KnobsPatch } from '../../sim/dingtalk/stream/knobs.js';
import type { StreamRecord } from '../../sim/dingtalk/stream/record.js';
import { fakeClock, simClient } from '../helpers/stream-client.js';

let sim: DingTalkSimulator | undefined;
let client: StreamClient | undefined;
afterEach(async () => {
  await client?.stop();
  await sim?.close();
  client = sim = undefined;
});

async function start(knobs: KnobsPatch = {}): Promise<DingTalkSimulator> {
  sim = await startDingTalkSimulator({ orgSpec: { seed: 11, users: 10, departments: 3 }, stream: knobs });
  return sim;
}

const live = (r: StreamRecord) => r.connections.filter((c) => c.state === 'live').length;
const handled = () => Promise.resolve();

describe('the Stream client reconnects', () => {
  it('a silent drop is noticed by the watchdog, and the connection reopened; the gap is reported', async () => {
    const s = await start({ pingIntervalMs: 50, redeliverMs: 100 });
    const gaps: number[] = [];
    let gapSeen: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => (gapSeen = resolve));
    ({ client } = simClient(s, {
      watchdogMs: 500,
      onEvent: handled,
      onGap: (ms) => (gaps.push(ms), gapSeen()),
    }));
    client.start();
    await s.control.stream.until((r) => r.stats.pongs >= 1);
    expect(s.control.stream.dropConnections()).toBe(1);
    const e = s.control.stream.emit('user_add_org', { userId: ['u1'] });
    const record = await s.control.stream.until((r) => r.stats.upgrades === 2 && r.stats.acked === 1);
    expect(record.acks.at(-1)?.eventId).toBe(e.eventId);
    expect(record.stats.opens).toBe(2);
    await reported;
    expect(gaps).toHaveLength(1);
    expect(client.status().state).toBe('open');
  });

  it('after a SYSTEM disconnect it reopens within 5 s, and still ACKs on the old socket what was in flight', async () => {
    // DingTalk keeps the old socket up about 10 s: the client must not wait for it to close
    const s = await start({ disconnectCloseMs: 10_000, pingIntervalMs: 3_600_000 });
    let finish: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (finish = resolve));
    let calls = 0;
    ({ client } = simClient(s, { onEvent: () => (++calls === 1 ? inFlight : Promise.resolve()) }));
    client.start();
    const first = await s.control.stream.until((r) => live(r) === 1);
    const e = s.control.stream.emit('user_modify_org', { userId: ['u1'] });
    await s.control.stream.until((r) => r.stats.sent === 1);
    const asked = Date.now();
    s.control.stream.disconnect();
    const back = await s.control.stream.until((r) => r.stats.upgrades === 2 && live(r) === 1);
    expect(Date.now() - asked).toBeLessThan(5000);
    expect(back.stats.opens).toBe(2);
    finish();
    const acked = await s.control.stream.until((r) => r.stats.acked === 1);
    expect(acked.acks[0]).toMatchObject({ eventId: e.eventId, connectionId: first.connections[0]?.id });
  });

  it('refused reconnects back off 1, 2, 4, 8, 16 s, then 30 s at most: one open call per pause', async () => {
    const s = await start({ pingIntervalMs: 3_600_000 });
    s.control.stream.setKnobs({ refuseSeconds: 3600, refuseStep: 'open' });
    const time = fakeClock(8);
    ({ client } = simClient(s, { onEvent: handled, clock: time.clock, random: () => 0 }));
    client.start();
    await time.held;
    expect(time.sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(s.control.stream.record().stats.opensRefused).toBe(8);
  });

  it('refused upgrades back off the same way, jitter only ever shortening a pause by up to 20 %', async () => {
    const s = await start({ pingIntervalMs: 3_600_000 });
    s.control.stream.setKnobs({ refuseSeconds: 3600, refuseStep: 'upgrade' });
    const time = fakeClock(7);
    ({ client } = simClient(s, { onEvent: handled, clock: time.clock, random: () => 0.999 }));
    client.start();
    await time.held;
    const base = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000];
    expect(time.sleeps.map((ms, i) => ms / (base[i] ?? 1))).toEqual(base.map(() => expect.closeTo(0.8, 2)));
    expect(s.control.stream.record().stats).toMatchObject({ opens: 7, upgradesRefused: 7 });
  });

  it('the gap from losing a connection to the next open one is reported when it opens', async () => {
    const s = await start({ pingIntervalMs: 3_600_000, disconnectCloseMs: 0 });
    const time = fakeClock(3);
    const gaps: number[] = [];
    let gapSeen: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => (gapSeen = resolve));
    ({ client } = simClient(s, {
      onEvent: handled,
      clock: time.clock,
      random: () => 0,
      onGap: (ms) => (gaps.push(ms), gapSeen()),
    }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    s.control.stream.setKnobs({ refuseSeconds: 3600 });
    s.control.stream.disconnect();
    await time.held;
    expect(gaps).toEqual([]);
    s.control.stream.setKnobs({ refuseSeconds: 0 });
    time.release();
    await reported;
    expect(gaps).toEqual([1000 + 2000 + 4000]);
    expect(s.control.stream.record().stats).toMatchObject({ opens: 2, opensRefused: 3 });
  });

  it('a connection that ends before any frame counts as a failed attempt: the next one waits', async () => {
    const s = await start({ pingIntervalMs: 3_600_000 });
    const time = fakeClock(1);
    ({ client } = simClient(s, { onEvent: handled, clock: time.clock, random: () => 0, watchdogMs: 200 }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    s.control.stream.dropConnections();
    await time.held;
    expect(time.sleeps).toEqual([1000]);
    expect(s.control.stream.record().stats.upgrades).toBe(1);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../../sim/dingtalk/server.js';
import type { KnobsPatch } from '../../../sim/dingtalk/stream/knobs.js';
import { openCall, RawStream } from '../../helpers/raw-stream.js';

let sims: DingTalkSimulator[] = [];
let streams: RawStream[] = [];
afterEach(async () => {
  for (const s of streams) s.close();
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
  streams = [];
});

async function start(stream: KnobsPatch = {}): Promise<DingTalkSimulator> {
  const sim = await startDingTalkSimulator({ orgSpec: { seed: 5, users: 10, departments: 3 }, stream });
  sims.push(sim);
  return sim;
}

async function connect(sim: DingTalkSimulator): Promise<RawStream> {
  const s = await RawStream.connect(sim);
  streams.push(s);
  return s;
}

const ids = (s: RawStream) => s.events().map((e) => e.headers.eventId);

describe('the simulated Stream gateway redelivers what was not acknowledged', () => {
  it('an event not ACKed is sent again after redeliverMs; an ACK stops it', async () => {
    const sim = await start({ redeliverMs: 30, newMessageIdRate: 0 });
    const s = await connect(sim);
    const e = sim.control.stream.emit('user_add_org', { userId: ['a'] });
    await s.until(() => s.events().length === 2);
    const [first, again] = s.events();
    expect(again?.headers.eventId).toBe(e.eventId);
    expect(again?.headers.messageId).toBe(first?.headers.messageId);
    if (again !== undefined) s.ack(again);
    const record = await sim.control.stream.until((r) => r.stats.acked === 1);
    const sendsOf = (id: string) => ids(s).filter((x) => x === id).length;
    const sentBefore = record.deliveries.filter((d) => d.eventId === e.eventId).length;
    // a later event left unacknowledged comes back: a whole redeliverMs has passed since the ACK
    const later = sim.control.stream.emit('user_add_org', { userId: ['b'] });
    await s.until(() => sendsOf(later.eventId) === 2);
    expect(sendsOf(e.eventId)).toBe(sentBefore);
  });

  it('a redelivery may carry a new messageId; an ACK of either id settles the event', async () => {
    const sim = await start({ redeliverMs: 20, newMessageIdRate: 1 });
    const s = await connect(sim);
    sim.control.stream.emit('user_leave_org', { userId: ['a'] });
    await s.until(() => s.events().length === 2);
    const [first, again] = s.events();
    expect(again?.headers.eventId).toBe(first?.headers.eventId);
    expect(again?.headers.messageId).not.toBe(first?.headers.messageId);
    if (first !== undefined) s.ack(first);
    await sim.control.stream.until((r) => r.stats.acked === 1);
  });

  it('LATER asks for the event again', async () => {
    const sim = await start({ redeliverMs: 20, newMessageIdRate: 0 });
    const s = await connect(sim);
    sim.control.stream.emit('user_modify_org', { userId: ['a'] });
    await s.until(() => s.events().length === 1);
    const first = s.events()[0];
    if (first !== undefined) s.ack(first, 'LATER');
    await s.until(() => s.events().length === 2);
    expect(sim.control.stream.record().acks[0]).toMatchObject({ status: 'LATER' });
  });
});

describe('the simulated Stream gateway: event faults', () => {
  it('drops, duplicates (a new messageId) and delays the next events as told', async () => {
    const sim = await start({ dropNext: 1, duplicateNext: 1 });
    const s = await connect(sim);
    const dropped = sim.control.stream.emit('user_add_org', { userId: ['dropped'] });
    const doubled = sim.control.stream.emit('user_add_org', { userId: ['doubled'] });
    sim.control.stream.setKnobs({ delayNext: 1, delayMs: 150 });
    const late = sim.control.stream.emit('user_add_org', { userId: ['late'] });
    const prompt = sim.control.stream.emit('user_add_org', { userId: ['prompt'] });
    await s.until(() => ids(s).includes(late.eventId));
    expect(ids(s)).toEqual([doubled.eventId, doubled.eventId, prompt.eventId, late.eventId]);
    const [a, b] = s.events();
    expect(a?.headers.messageId).not.toBe(b?.headers.messageId);
    expect(ids(s)).not.toContain(dropped.eventId);
    expect(sim.control.stream.record().stats.lost).toBe(1);
  });
});

describe('the simulated Stream gateway: connection faults', () => {
  it('a silent drop sends nothing more and no close frame; events wait for the next connection', async () => {
    const sim = await start({ pingIntervalMs: 15 });
    const dead = await connect(sim);
    expect(sim.control.stream.dropConnections()).toBe(1);
    const seen = dead.frames.length;
    const e = sim.control.stream.emit('user_add_org', { userId: ['a'] });
    const next = await connect(sim);
    await next.until(() => ids(next).includes(e.eventId) && next.frames.length >= 3);
    expect(dead.frames.length).toBe(seen);
    expect(dead.closed).toBe(false);
  });

  it('a SYSTEM disconnect stops delivery at once and closes the socket disconnectCloseMs later', async () => {
    const sim = await start({ disconnectCloseMs: 30 });
    const old = await connect(sim);
    sim.control.stream.disconnect('server restart');
    await old.until(() => old.closed);
    const last = old.frames.at(-1);
    expect(last).toMatchObject({ type: 'SYSTEM', headers: { topic: 'disconnect' } });
    expect(JSON.parse(last?.data ?? '{}')).toEqual({ reason: 'server restart' });
    const e = sim.control.stream.emit('user_add_org', { userId: ['a'] });
    const next = await connect(sim);
    await next.until(() => ids(next).includes(e.eventId));
    expect(ids(old)).toEqual([]);
  });

  it('refuses reconnects for N seconds at the open call or at the upgrade, then lets them in', async () => {
    const sim = await start();
    sim.control.stream.setKnobs({ refuseSeconds: 60, refuseStep: 'open' });
    expect((await openCall(sim)).status).toBe(503);
    sim.control.stream.setKnobs({ refuseStep: 'upgrade' });
    const { status } = await openCall(sim);
    expect(status).toBe(200);
    await expect(RawStream.connect(sim)).rejects.toThrow('upgrade refused: 503');
    sim.control.stream.setKnobs({ refuseSeconds: 0 });
    await connect(sim);
    expect(sim.control.stream.record().stats).toMatchObject({
      opensRefused: 1,
      upgradesRefused: 1,
      upgrades: 1,
    });
  });

  it('an event past retainMs with no connection to take it is lost', async () => {
    const sim = await start({ retainMs: 0 });
    const e = sim.control.stream.emit('user_add_org', { userId: ['a'] });
    // its birth instant is already past retainMs: the connection that opens finds it expired
    const s = await connect(sim);
    const record = await sim.control.stream.until((r) => r.stats.lost === 1);
    expect(record.deliveries.map((d) => d.eventId)).not.toContain(e.eventId);
    expect(s.events()).toEqual([]);
  });
});

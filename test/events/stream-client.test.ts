import { afterEach, describe, expect, it } from '@jest/globals';
import { AckDeadlineError } from '../../src/errors/ack-deadline-error.js';
import type { StreamClient } from '../../src/events/stream-client.js';
import type { StreamEvent } from '../../src/events/stream-event.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import type { KnobsPatch } from '../../sim/dingtalk/stream/knobs.js';
import type { StreamRecord } from '../../sim/dingtalk/stream/record.js';
import { simClient } from '../helpers/stream-client.js';

let sim: DingTalkSimulator | undefined;
let client: StreamClient | undefined;
afterEach(async () => {
  await client?.stop();
  await sim?.close();
  client = sim = undefined;
});

async function start(knobs: KnobsPatch = {}): Promise<DingTalkSimulator> {
  sim = await startDingTalkSimulator({
    orgSpec: { seed: 9, users: 10, departments: 3 },
    stream: { pingIntervalMs: 3_600_000, newMessageIdRate: 0.5, ...knobs },
  });
  return sim;
}

const live = (r: StreamRecord) => r.connections.filter((c) => c.state === 'live').length;
const acksOf = (r: StreamRecord, eventId: string) => r.acks.filter((a) => a.eventId === eventId);

/** A promise with its resolve, for handlers the test finishes by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the Stream client acknowledges only what its handler took', () => {
  it('an event is ACKed SUCCESS only after its handler resolved', async () => {
    const s = await start();
    const finish = deferred();
    const called = deferred();
    ({ client } = simClient(s, { onEvent: () => (called.resolve(), finish.promise) }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    const e = s.control.stream.emit('user_add_org', { userId: ['u1'] });
    await called.promise;
    // a ping's echo travels the socket after anything the client sent on the event's arrival
    s.control.stream.ping();
    const meanwhile = await s.control.stream.until((r) => r.pongs.length === 1);
    expect(acksOf(meanwhile, e.eventId)).toEqual([]);
    finish.resolve();
    const after = await s.control.stream.until((r) => r.stats.acked === 1);
    expect(acksOf(after, e.eventId)).toEqual([expect.objectContaining({ status: 'SUCCESS' })]);
  });

  it('a rejected handler gets no ACK; the redelivery is handled and ACKed', async () => {
    const s = await start({ redeliverMs: 50 });
    const seen: StreamEvent[] = [];
    ({ client } = simClient(s, {
      onEvent: (event) => {
        seen.push(event);
        return seen.length === 1 ? Promise.reject(new Error('Redis is down')) : Promise.resolve();
      },
    }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    const e = s.control.stream.emit('user_leave_org', { userId: 'u1' });
    const record = await s.control.stream.until((r) => r.stats.acked === 1);
    expect(seen.map((x) => x.eventId)).toEqual([e.eventId, e.eventId]);
    expect(record.acks.map((a) => a.messageId)).toEqual([seen[1]?.messageId]);
    expect(seen[0]?.userIds).toEqual(['u1']);
  });

  it('a handler past the ACK deadline gets no ACK, even when it resolves later; its signal says why', async () => {
    const s = await start({ redeliverMs: 150 });
    const reasons: unknown[] = [];
    const calls: string[] = [];
    ({ client } = simClient(s, {
      ackDeadlineMs: 80,
      onEvent: (event, signal) => {
        calls.push(event.messageId);
        if (calls.length > 1) return Promise.resolve();
        return new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => (reasons.push(signal.reason), resolve()), { once: true }),
        );
      },
    }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    const e = s.control.stream.emit('user_modify_org', { userId: ['u2'] });
    const record = await s.control.stream.until((r) => r.stats.acked === 1);
    expect(reasons).toEqual([expect.any(AckDeadlineError)]);
    expect(calls).toHaveLength(2);
    expect(acksOf(record, e.eventId).map((a) => a.messageId)).toEqual([calls[1]]);
  });

  it("echoes the gateway's pings", async () => {
    const s = await start();
    ({ client } = simClient(s, { onEvent: () => Promise.resolve() }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    s.control.stream.ping();
    s.control.stream.ping();
    const record = await s.control.stream.until((r) => r.pongs.length === 2);
    expect(record.pongs.every((p) => p.matched)).toBe(true);
  });

  it('passes on unknown event types and both id shapes, and ACKs them once handled', async () => {
    const s = await start({ leaveUserIdAs: 'string', deptIdAs: 'string' });
    const seen: StreamEvent[] = [];
    ({ client } = simClient(s, { onEvent: (e) => (seen.push(e), Promise.resolve()) }));
    client.start();
    await s.control.stream.until((r) => live(r) === 1);
    const user = s.control.org().users[0]?.userid ?? '';
    s.control.mutate({ op: 'leave', userid: user });
    s.control.stream.emit('org_admin_add', { userId: ['boss'] });
    s.control.mutate({ op: 'addDept', parent_id: 1, name: '新部门', dept_id: 77 });
    await s.control.stream.until((r) => r.stats.acked === 3);
    expect(seen.map((e) => [e.eventType, e.userIds, e.deptIds, e.corpId])).toEqual([
      ['user_leave_org', [user], [], s.corpId],
      ['org_admin_add', ['boss'], [], s.corpId],
      ['org_dept_create', [], [77], s.corpId],
    ]);
    expect(seen.every((e) => typeof e.bornAt === 'number' && e.bornAt <= e.receivedAt)).toBe(true);
  });

  it('never logs the app secret or a ticket, even when the credentials are refused', async () => {
    const s = await start({ redeliverMs: 30 });
    const made = simClient(s, { onEvent: () => Promise.reject(new Error('no')) });
    client = made.client;
    client.start();
    await s.control.stream.until((r) => live(r) === 1 && r.stats.opens === 1);
    s.control.stream.emit('user_add_org', { userId: ['u1'] });
    await s.control.stream.until((r) => r.stats.redelivered >= 1);
    await client.stop();
    const failed = deferred();
    const refused = simClient(s, {
      onEvent: () => Promise.resolve(),
      appKey: 'wrong-key',
      onState: (status) => status.lastError === undefined || failed.resolve(),
    });
    client = refused.client;
    client.start();
    await failed.promise;
    expect(client.status().lastError).toBe('invalidClientIdOrSecret');
    await client.stop();

    const text = [...made.logs.lines, ...refused.logs.lines].join('');
    expect(text).toContain('Stream connection open');
    expect(text).toContain('invalidClientIdOrSecret');
    expect(text).not.toContain(s.appSecret);
    expect(text).not.toContain('ticket=');
  });
});

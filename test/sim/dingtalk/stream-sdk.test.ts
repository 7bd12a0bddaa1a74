import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DWClient, EventAck, type DWClientDownStream, type EventAckData } from 'dingtalk-stream';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../../sim/dingtalk/server.js';
import { OPEN_PATH } from '../../../sim/dingtalk/stream/gateway.js';
import type { StreamRecord } from '../../../sim/dingtalk/stream/record.js';

/**
 * DingTalk's own Node SDK (dingtalk-stream 2.1.5) against the simulated gateway, with only
 * `getEndpoint()` overridden (the SDK's gateway URL is a constant): the simulator is proven
 * against DingTalk's client, not only ours.
 */
class SimulatorDWClient extends DWClient {
  constructor(
    private readonly gatewayBase: string,
    opts: { clientId: string; clientSecret: string },
  ) {
    super(opts);
  }

  override async getEndpoint(): Promise<this> {
    const { clientId, clientSecret, ua, subscriptions } = this.getConfig();
    const res = await fetch(`${this.gatewayBase}${OPEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId, clientSecret, ua, subscriptions }),
    });
    const { endpoint, ticket } = (await res.json()) as { endpoint?: string; ticket?: string };
    if (endpoint === undefined || ticket === undefined) throw new Error('endpoint or ticket is null');
    // what the SDK's own getEndpoint sets (a field its typings mark private)
    Reflect.set(this, 'dw_url', `${endpoint}?ticket=${ticket}`);
    return this;
  }
}

let sim: DingTalkSimulator;
let client: SimulatorDWClient | undefined;

beforeAll(async () => {
  // the SDK prints "connect success", "Disconnecting." and socket errors on the console
  jest.spyOn(console, 'info').mockImplementation(() => undefined);
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  sim = await startDingTalkSimulator({
    orgSpec: { seed: 3, users: 20, departments: 4 },
    stream: { pingIntervalMs: 3_600_000, disconnectCloseMs: 50, redeliverMs: 200 },
  });
});

afterEach(async () => {
  if (client !== undefined) {
    client.disconnect();
    await sim.control.stream.until((r) => live(r) === 0);
    client = undefined;
  }
});

afterAll(async () => {
  await sim.close();
  jest.restoreAllMocks();
});

const live = (r: StreamRecord) => r.connections.filter((c) => c.state === 'live').length;

async function connectSdk(
  listener: (msg: DWClientDownStream) => EventAckData,
): Promise<{ sdk: SimulatorDWClient; received: DWClientDownStream[] }> {
  const received: DWClientDownStream[] = [];
  const sdk = new SimulatorDWClient(sim.url, { clientId: sim.appKey, clientSecret: sim.appSecret });
  sdk.registerAllEventListener((msg) => {
    received.push(msg);
    return listener(msg);
  });
  client = sdk;
  await sdk.connect();
  await sim.control.stream.until((r) => live(r) === 1);
  return { sdk, received };
}

describe('the simulated Stream gateway serves the official dingtalk-stream SDK', () => {
  it('connects, receives an org event in the official shape, and its ACK is recorded', async () => {
    const { received } = await connectSdk(() => ({ status: EventAck.SUCCESS }));
    const { userid } = sim.control.mutate({ op: 'hire', dept_id_list: [1] }) as { userid: string };
    const record = await sim.control.stream.until((r) => r.stats.acked === 1);

    const [event] = record.events;
    expect(received).toHaveLength(1);
    const frame = received[0];
    expect(frame?.type).toBe('EVENT');
    expect(frame?.headers).toEqual({
      appId: expect.any(String),
      connectionId: record.connections.at(-1)?.id,
      contentType: 'application/json',
      messageId: expect.any(String),
      time: expect.stringMatching(/^\d{13}$/),
      topic: '*',
      eventType: 'user_add_org',
      eventId: event?.eventId,
      eventCorpId: sim.corpId,
      eventBornTime: String(event?.bornTime),
      eventUnifiedAppId: expect.any(String),
    });
    expect(JSON.parse(frame?.data ?? '')).toEqual({ timeStamp: expect.any(String), userId: [userid] });
    expect(record.acks).toEqual([
      expect.objectContaining({
        messageId: frame?.headers.messageId,
        eventId: event?.eventId,
        status: 'SUCCESS',
      }),
    ]);
  });

  it("answers the gateway's ping with the same opaque", async () => {
    await connectSdk(() => ({ status: EventAck.SUCCESS }));
    const before = sim.control.stream.record().stats.pongs;
    sim.control.stream.ping();
    const record = await sim.control.stream.until((r) => r.stats.pongs === before + 1);
    expect(record.pongs.at(-1)).toEqual(expect.objectContaining({ matched: true }));
  });

  it('reconnects with a fresh ticket after a SYSTEM disconnect, and gets events there', async () => {
    const { received } = await connectSdk(() => ({ status: EventAck.SUCCESS }));
    const first = sim.control.stream.record();
    expect(sim.control.stream.disconnect('server restart')).toBe(1);
    // the SDK waits for the socket to close (50 ms here), then reconnects a second later
    const back = await sim.control.stream.until(
      (r) => r.stats.upgrades === first.stats.upgrades + 1 && live(r) === 1,
    );
    expect(back.stats.opens).toBe(first.stats.opens + 1);

    const dept = sim.control.org().departments.find((d) => d.parent_id !== undefined);
    sim.control.mutate({ op: 'renameDept', dept_id: dept?.dept_id ?? 0, name: '改名部' });
    const acked = await sim.control.stream.until((r) => r.stats.acked === first.stats.acked + 1);
    expect(received.at(-1)?.headers.eventType).toBe('org_dept_modify');
    expect(acked.acks.at(-1)?.connectionId).toBe(back.connections.at(-1)?.id);
  });

  it("an async listener makes the SDK send an empty ACK, so the gateway redelivers (why we don't use the SDK)", async () => {
    const asyncListener = (() => Promise.resolve({ status: EventAck.SUCCESS })) as unknown as (
      msg: DWClientDownStream,
    ) => EventAckData;
    await connectSdk(asyncListener);
    const before = sim.control.stream.record();
    const event = sim.control.stream.emit('user_modify_org', { userId: ['u1'] });
    const record = await sim.control.stream.until(
      (r) => r.deliveries.filter((d) => d.eventId === event.eventId).length >= 2,
    );
    const acks = record.acks.slice(before.acks.length).filter((a) => a.eventId === event.eventId);
    expect(acks[0]?.status).toBeUndefined();
    expect(record.stats.acked).toBe(before.stats.acked);
  });
});

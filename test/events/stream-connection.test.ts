import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocketServer, type WebSocket } from 'ws';
import { StreamConnection } from '../../src/events/stream-connection.js';
import { StreamClient } from '../../src/events/stream-client.js';
import { Secret } from '../../src/config/secret.js';
import { startDingTalkSimulator, type DingTalkSimulator } from '../../sim/dingtalk/server.js';
import { capturedLog } from '../helpers/stream-client.js';

let server: WebSocketServer | undefined;
let sim: DingTalkSimulator | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  await sim?.close();
  server = sim = undefined;
});

/** A bare gateway that sends what the test says and collects what the client answers. */
async function bareGateway(): Promise<{ url: string; socket: Promise<WebSocket>; replies: unknown[] }> {
  const replies: unknown[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server = wss;
  await new Promise((resolve) => wss.once('listening', resolve));
  const socket = new Promise<WebSocket>((resolve) =>
    wss.once('connection', (ws) => {
      ws.on('message', (d: Buffer) => replies.push(JSON.parse(d.toString('utf8'))));
      resolve(ws);
    }),
  );
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/connect`, socket, replies };
}

describe('one Stream connection', () => {
  it('a frame that cannot be an event is reported and ACKed (no redelivery can mend it), never handled', async () => {
    const gw = await bareGateway();
    const invalid: string[] = [];
    const handled: unknown[] = [];
    const conn = await StreamConnection.open(
      {
        endpoint: gw.url,
        ticket: 't',
        onEvent: (e) => (handled.push(e), Promise.resolve()),
        onInvalidFrame: (reason) => invalid.push(reason),
        watchdogMs: 60_000,
        ackDeadlineMs: 5000,
        handshakeTimeoutMs: 5000,
        now: () => Date.now(),
        log: capturedLog().log,
      },
      new AbortController().signal,
    );
    const ws = await gw.socket;
    ws.send(
      JSON.stringify({ type: 'EVENT', headers: { messageId: 'm9', eventType: 'user_add_org' }, data: '{}' }),
    );
    ws.send(JSON.stringify({ type: 'SYSTEM', headers: { topic: 'ping' }, data: '{"opaque":"o"}' }));
    await new Promise<void>((resolve) => ws.on('message', () => gw.replies.length === 2 && resolve()));
    expect(gw.replies[0]).toMatchObject({
      headers: { messageId: 'm9' },
      data: expect.stringContaining('SUCCESS'),
    });
    expect(invalid).toEqual([expect.stringContaining('eventId')]);
    expect(handled).toEqual([]);
    await conn.close('now');
  });

  it('stop() leaves no timer behind: not the watchdog, an ACK deadline or a pause between attempts', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    sim = await startDingTalkSimulator({ orgSpec: { seed: 2, users: 5, departments: 2 } });
    let called: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (called = resolve));
    const client = new StreamClient({
      appKey: sim.appKey,
      appSecret: Secret.of(sim.appSecret),
      apiBaseUrl: sim.url,
      watchdogMs: 60_000,
      log: capturedLog().log,
      // never settles: only the ACK deadline or the stop ends it
      onEvent: () => (called(), new Promise<void>(() => undefined)),
    });
    client.start();
    await sim.control.stream.until((r) => r.connections.some((c) => c.state === 'live'));
    sim.control.stream.emit('user_add_org', { userId: ['a'] });
    await inHandler;
    sim.control.stream.setKnobs({ refuseSeconds: 60 });
    sim.control.stream.disconnect();
    await sim.control.stream.until((r) => r.stats.opensRefused >= 1);
    expect(timers()).toBeGreaterThan(before);
    await client.stop();
    // the simulator's own timers (its redelivery, pings, the disconnected socket's close) go with it
    await sim.close();
    sim = undefined;
    expect(timers()).toBeLessThanOrEqual(before);
  });
});

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import got from 'got';
import { FREE_SOCKET_TIMEOUT_MS, keepAliveAgents, type KeepAliveAgents } from '../../src/http/client.js';

/** A server that would keep an idle connection for a minute, so an earlier close is the client's. */
async function patientServer(handler: (reply: () => void) => void): Promise<{
  server: Server;
  url: string;
  sockets: Socket[];
}> {
  const sockets: Socket[] = [];
  const server = createServer((_req, res) => handler(() => res.end('{}')));
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => sockets.push(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, sockets };
}

describe('keep-alive sockets of the remote clients', () => {
  let server: Server | undefined;
  let agents: KeepAliveAgents | undefined;
  afterEach(async () => {
    agents?.http.destroy();
    agents?.https.destroy();
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise((r) => server?.close(r));
    }
    server = undefined;
    agents = undefined;
  });

  it('closes an idle kept-alive socket itself, before the server would', async () => {
    const s = await patientServer((reply) => reply());
    server = s.server;
    agents = keepAliveAgents(50);
    const res = await got(s.url, { agent: agents, responseType: 'text' });
    expect(res.statusCode).toBe(200);
    expect(s.sockets).toHaveLength(1);
    // 'end' on the server's side is the client's FIN: only our agent can have closed it.
    await once(s.sockets[0] as Socket, 'end');
  });

  it('reuses a kept-alive socket for back-to-back requests', async () => {
    const s = await patientServer((reply) => reply());
    server = s.server;
    agents = keepAliveAgents(FREE_SOCKET_TIMEOUT_MS);
    await got(s.url, { agent: agents });
    await got(s.url, { agent: agents });
    expect(s.sockets).toHaveLength(1);
  });

  it('lets a request run longer than the idle timeout (it bounds only free sockets)', async () => {
    let socketTimedOut!: () => void;
    const timedOut = new Promise<void>((r) => (socketTimedOut = r));
    // the server's reply, once it has the request: on a loaded machine the client's 50 ms idle
    // timer can fire before the server has even read the request, so both are awaited
    let received!: (reply: () => void) => void;
    const release = new Promise<() => void>((r) => (received = r));
    const s = await patientServer((reply) => received(reply));
    server = s.server;
    agents = keepAliveAgents(50);
    const pending = got(s.url, { agent: agents, responseType: 'text' });
    void pending.on('request', (req) =>
      req.once('socket', (sock: Socket) => sock.once('timeout', socketTimedOut)),
    );
    // The answer comes only after the busy socket's idle timer has fired.
    const [reply] = await Promise.all([release, timedOut]);
    reply();
    const res = await pending;
    expect(res.statusCode).toBe(200);
  });

  it('gives up idle sockets sooner than a Node server would close them', () => {
    const node = createServer();
    expect(FREE_SOCKET_TIMEOUT_MS).toBeLessThan(node.keepAliveTimeout);
  });
});

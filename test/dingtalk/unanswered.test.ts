import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { DingTalkHttp, UNANSWERED_PER_API, type HttpAttempt } from '../../src/dingtalk/http.js';
import { CallStats } from '../../src/http/call-stats.js';
import type { Pacer } from '../../src/pacing/pacer.js';

const PATH = '/topapi/v2/user/list';

/** A remote that reads every call and answers only when the test says so. */
async function stalledRemote(): Promise<{ server: Server; url: string; held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      held.push(res);
      server.emit('held', held.length);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, held };
}

/** A pacer that lets every call go at once and counts the instants booked. */
function countingPacer(): Pacer & { takes: number } {
  const p = {
    takes: 0,
    take: (_key: string, _qps: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      p.takes++;
      return Promise.resolve();
    },
  };
  return p;
}

/** Resolves once the remote holds `n` calls. */
async function untilHeld(server: Server, held: ServerResponse[], n: number): Promise<void> {
  while (held.length < n) await once(server, 'held');
}

/** Lets every promise continuation that is already due run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('calls DingTalk has not answered yet', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise((r) => server?.close(r));
    }
    server = undefined;
  });

  it('a remote that stops answering is sent at most 8 calls of one API, and every call still goes out', async () => {
    const remote = await stalledRemote();
    server = remote.server;
    const pacer = countingPacer();
    const stats = new CallStats();
    const http = new DingTalkHttp({ appKey: 'app', qps: 1000, pacer, stats, timeoutMs: 10_000 });
    const calls = 3 * UNANSWERED_PER_API;
    const sent: Promise<HttpAttempt>[] = [];
    for (let i = 0; i < calls; i++)
      sent.push(http.send({ baseUrl: remote.url, path: PATH, method: 'POST', json: { i } }));

    await untilHeld(remote.server, remote.held, UNANSWERED_PER_API);
    await settle();
    // every call has booked its instant; only the first 8 went out, the rest wait for answers
    expect(pacer.takes).toBe(calls);
    expect(stats.calls()[PATH]).toBe(UNANSWERED_PER_API);

    // answering frees places one for one
    let answered = 0;
    while (answered < calls) {
      const res = remote.held.shift();
      if (res === undefined) {
        await once(remote.server, 'held');
        continue;
      }
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
      answered++;
      expect((stats.calls()[PATH] ?? 0) - answered).toBeLessThanOrEqual(UNANSWERED_PER_API);
    }
    const results = await Promise.all(sent);
    expect(results.every((r) => r.ok && r.status === 200)).toBe(true);
    expect(stats.calls()[PATH]).toBe(calls);
  });

  it('a call that waited for an answer books a new instant before it goes out', async () => {
    const remote = await stalledRemote();
    server = remote.server;
    const pacer = countingPacer();
    const http = new DingTalkHttp({ appKey: 'app', qps: 1000, pacer, timeoutMs: 10_000 });
    const sent = Array.from({ length: UNANSWERED_PER_API + 1 }, () =>
      http.send({ baseUrl: remote.url, path: PATH, method: 'POST', json: {} }),
    );
    await untilHeld(remote.server, remote.held, UNANSWERED_PER_API);
    await settle();
    expect(pacer.takes).toBe(UNANSWERED_PER_API + 1);

    remote.held.shift()?.end('{"errcode":0,"errmsg":"ok"}');
    await untilHeld(remote.server, remote.held, UNANSWERED_PER_API);
    // the ninth call booked twice: its first instant passed while it waited
    expect(pacer.takes).toBe(UNANSWERED_PER_API + 2);
    for (const res of remote.held.splice(0)) res.end('{"errcode":0,"errmsg":"ok"}');
    await Promise.all(sent);
  });

  it('each API has its own places: a stalled listing does not hold up department calls', async () => {
    const remote = await stalledRemote();
    server = remote.server;
    const stats = new CallStats();
    const http = new DingTalkHttp({
      appKey: 'app',
      qps: 1000,
      pacer: countingPacer(),
      stats,
      timeoutMs: 10_000,
    });
    const listings = Array.from({ length: UNANSWERED_PER_API }, () =>
      http.send({ baseUrl: remote.url, path: PATH, method: 'POST', json: {} }),
    );
    await untilHeld(remote.server, remote.held, UNANSWERED_PER_API);
    const other = http.send({ baseUrl: remote.url, path: '/topapi/v2/department/listsub', method: 'POST' });
    await untilHeld(remote.server, remote.held, UNANSWERED_PER_API + 1);
    expect(stats.calls()['/topapi/v2/department/listsub']).toBe(1);
    for (const res of remote.held.splice(0)) res.end('{"errcode":0,"errmsg":"ok"}');
    await Promise.all([...listings, other]);
  });

  it('a call waiting for a place ends with the job’s own reason when the job is cancelled', async () => {
    const remote = await stalledRemote();
    server = remote.server;
    const http = new DingTalkHttp({ appKey: 'app', qps: 1000, pacer: countingPacer(), timeoutMs: 10_000 });
    const first = Array.from({ length: UNANSWERED_PER_API }, () =>
      http.send({ baseUrl: remote.url, path: PATH, method: 'POST', json: {} }),
    );
    await untilHeld(remote.server, remote.held, UNANSWERED_PER_API);
    const job = new AbortController();
    const waiting = http.send({ baseUrl: remote.url, path: PATH, method: 'POST', json: {} }, job.signal);
    await settle();
    const reason = new Error('cancelled by the operator');
    job.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    for (const res of remote.held.splice(0)) res.end('{"errcode":0,"errmsg":"ok"}');
    await Promise.all(first);
  });
});

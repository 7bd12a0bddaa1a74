import { createHash } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readCommand, valueEnd } from './resp.js';

/**
 * A loopback stand-in for a cluster proxy that checks Lua scripts, as Alibaba Cloud Redis/Tair
 * in proxy mode does while its parameter script_check_enable is 1: it relays every command to a
 * real Redis, one at a time, but refuses EVAL/EVALSHA of a script whose redis.call/pcall passes
 * a key that is not literally `KEYS[n]`, or that declares no key. The refusals are the error
 * texts Alibaba Cloud documents ("Lua 脚本使用限制", help.aliyun.com/document_detail/92942.html,
 * found through the pages corpus): "ERR bad lua script for redis cluster, all the keys that the
 * script uses should be passed using the KEYS array" and "ERR for redis cluster, eval/evalsha
 * number of keys can't be negative or zero". Pub/sub is not relayed (one reply per command).
 */
export interface ScriptCheckingProxy {
  readonly url: string;
  close(): Promise<void>;
}

export const BAD_SCRIPT =
  'ERR bad lua script for redis cluster, all the keys that the script uses should be passed using the KEYS array';
export const NO_KEYS = "ERR for redis cluster, eval/evalsha number of keys can't be negative or zero";

/** Commands whose first argument is not a key. */
const KEYLESS = new Set(['time', 'select', 'ping', 'echo', 'info', 'publish']);

/** The refusal for a script, or undefined when the proxy lets it through. */
export function refusalOf(script: string, numKeys: number): string | undefined {
  if (!(numKeys > 0)) return NO_KEYS;
  // redis.call, redis.pcall, and local aliases of them (BullMQ's `local rcall = redis.call`)
  const callers = ['redis\\.call', 'redis\\.pcall'];
  for (const m of script.matchAll(/local\s+(\w+)\s*=\s*redis\.p?call\b/g))
    if (m[1] !== undefined) callers.push(m[1]);
  const call = new RegExp(`(?:${callers.join('|')})\\s*\\(\\s*(['"])(\\w+)\\1\\s*(?:,\\s*([^,)]+))?`, 'g');
  for (const m of script.matchAll(call)) {
    const command = (m[2] ?? '').toLowerCase();
    const key = m[3]?.trim();
    if (key === undefined || KEYLESS.has(command)) continue;
    if (!/^KEYS\[\d+\]$/.test(key)) return BAD_SCRIPT;
  }
  return undefined;
}

function relay(client: Socket, upstreamPort: number, scripts: Map<string, string>): void {
  const upstream = connect(upstreamPort, '127.0.0.1');
  let fromClient = Buffer.alloc(0);
  let fromUpstream = Buffer.alloc(0);
  const waiting: { raw: Buffer; args: string[] }[] = [];
  let inFlight = false;
  const refusal = (args: string[]): string | undefined => {
    const name = (args[0] ?? '').toLowerCase();
    if (name === 'script' && (args[1] ?? '').toLowerCase() === 'load') {
      const script = args[2] ?? '';
      scripts.set(createHash('sha1').update(script).digest('hex'), script);
      return refusalOf(script, 1) === BAD_SCRIPT ? BAD_SCRIPT : undefined;
    }
    if (name !== 'eval' && name !== 'evalsha') return undefined;
    const numKeys = Number(args[2]);
    if (name === 'eval') {
      const script = args[1] ?? '';
      scripts.set(createHash('sha1').update(script).digest('hex'), script);
      return refusalOf(script, numKeys);
    }
    const known = scripts.get((args[1] ?? '').toLowerCase());
    return known === undefined ? (numKeys > 0 ? undefined : NO_KEYS) : refusalOf(known, numKeys);
  };
  const pump = () => {
    while (!inFlight && waiting.length > 0) {
      const next = waiting.shift();
      if (next === undefined) break;
      const refused = refusal(next.args);
      if (refused !== undefined) client.write(`-${refused}\r\n`);
      else {
        inFlight = true;
        upstream.write(next.raw);
      }
    }
  };
  client.on('data', (d: Buffer) => {
    fromClient = Buffer.concat([fromClient, d]);
    for (let c = readCommand(fromClient, 0); c !== undefined; c = readCommand(fromClient, 0)) {
      waiting.push({ raw: fromClient.subarray(0, c.end), args: c.args });
      fromClient = fromClient.subarray(c.end);
    }
    pump();
  });
  upstream.on('data', (d: Buffer) => {
    fromUpstream = Buffer.concat([fromUpstream, d]);
    for (let end = valueEnd(fromUpstream, 0); end > 0; end = valueEnd(fromUpstream, 0)) {
      client.write(fromUpstream.subarray(0, end));
      fromUpstream = fromUpstream.subarray(end);
      inFlight = false;
      pump();
      if (fromUpstream.length === 0) break;
    }
  });
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('close', close).on('error', close);
  upstream.on('close', close).on('error', close);
}

/** Starts the proxy on a free loopback port in front of the Redis on `upstreamPort`. */
export async function startScriptCheckingProxy(upstreamPort: number): Promise<ScriptCheckingProxy> {
  const scripts = new Map<string, string>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    relay(client, upstreamPort, scripts);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

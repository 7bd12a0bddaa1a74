import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Profile } from '../../src/config/schema.js';
import { CallStats } from '../../src/http/call-stats.js';
import { createLogger } from '../../src/process/logger.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { createPdsClient, type PdsClient, type PdsClientOptions } from '../../src/pds/client.js';
import type { PdsRetrySettings } from '../../src/pds/retry.js';
import { generateKeyPairPem, startPdsSimulator } from '../../sim/pds/index.js';
import type { PdsSimulator, PdsSimulatorOptions } from '../../sim/pds/types.js';
import { buildProfile } from './profile.js';
import { dropPrefix, testRedis, uniquePrefix } from './redis.js';

/** Short pauses so retry tests run in milliseconds; the 1–4 s rule itself is unit-tested. */
export const FAST_RETRY: Partial<PdsRetrySettings> = {
  maxAttempts: 3,
  throttleDelayMs: { min: 5, max: 20 },
  backoffBaseMs: 5,
  backoffMaxMs: 20,
};

/** Every pino line, as text, for the leak checks. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface Harness {
  readonly sim: PdsSimulator;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
  readonly logs: LogCapture;
  readonly redis: Redis;
  readonly prefix: string;
  /** PDS settings of a profile pointing at the simulator (inline private key unless overridden). */
  settings(pds?: Record<string, unknown>): Profile['pds'];
  /** A client on the simulator with a real RedisPacer, fast retries, debug logs captured. */
  client(
    overrides?: Partial<PdsClientOptions> & { pds?: Record<string, unknown> },
  ): PdsClient & { stats: CallStats };
  close(): Promise<void>;
}

const keys = generateKeyPairPem();

/** The simulator, one Redis connection and client factory for one test file. */
export async function startHarness(simOptions: Partial<PdsSimulatorOptions> = {}): Promise<Harness> {
  const sim = await startPdsSimulator({ publicKey: keys.publicKeyPem, ...simOptions });
  const redis = testRedis();
  const prefix = uniquePrefix('pds');
  const logs = new LogCapture();
  const log = createLogger({ destination: logs, level: 'debug' });
  const settings = (pds: Record<string, unknown> = {}) =>
    buildProfile({
      pds: {
        domainId: sim.domainId,
        clientId: sim.clientId,
        baseUrl: sim.url,
        privateKey: keys.privateKeyPem,
        qps: 1000,
        ...pds,
      },
    }).pds;
  return {
    sim,
    privateKeyPem: keys.privateKeyPem,
    publicKeyPem: keys.publicKeyPem,
    logs,
    redis,
    prefix,
    settings,
    client: (overrides = {}) => {
      const { pds, ...rest } = overrides;
      const stats = new CallStats();
      const client = createPdsClient({
        settings: settings(pds),
        pacer: new RedisPacer(redis, prefix),
        log,
        stats,
        retry: FAST_RETRY,
        ...rest,
      });
      return Object.assign(client, { stats: rest.stats ?? stats });
    },
    close: async () => {
      await sim.close();
      await dropPrefix(redis, prefix);
      await redis.quit();
    },
  };
}

/** Every page of an async listing, in order. */
export async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** A port nothing listens on: bound, then released. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createTcpServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A loopback PDS fake for wire shapes the simulator never produces (201 creates, odd markers).
 * It issues a token and answers every other path with `answer(path, body)`.
 */
export async function startFakePds(
  answer: (path: string, body: Record<string, unknown>) => FakeAnswer,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const a =
        path === '/v2/oauth/token'
          ? { status: 200, body: { access_token: 'fake-token', expires_in: 3600, token_type: 'Bearer' } }
          : answer(path, JSON.parse(raw) as Record<string, unknown>);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

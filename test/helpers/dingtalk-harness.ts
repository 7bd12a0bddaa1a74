import { Writable } from 'node:stream';
import { DingTalkClient, type DingTalkClientOptions } from '../../src/dingtalk/client.js';
import { TokenCache } from '../../src/dingtalk/token.js';
import { CallStats } from '../../src/http/call-stats.js';
import { createLogger } from '../../src/process/logger.js';
import { localEgressPause, type EgressPause } from '../../src/pacing/egress-pause.js';
import { unpaced, type Pacer } from '../../src/pacing/pacer.js';
import type { MonthlyCallMeter } from '../../src/dingtalk/types.js';
import {
  startDingTalkSimulator,
  type DingTalkSimulator,
  type DingTalkSimulatorOptions,
} from '../../sim/dingtalk/server.js';
import { buildProfile } from './profile.js';

/** Every pino line a client wrote, at debug level. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
    done();
  }

  text(): string {
    return this.lines.join('\n');
  }
}

export interface ClientSetup {
  /** Overrides of `profile.dingtalk` (appSecret, tokenApi, qps, URLs…). */
  readonly dingtalk?: Record<string, unknown>;
  readonly pacer?: Pacer;
  /** Short retry waits by default, so failing retries stay fast. */
  readonly retryBaseMs?: number;
  readonly now?: () => number;
  readonly tokenCache?: TokenCache;
  /** The ban's pause. @defaultValue one of this client's own, of at most 300 s */
  readonly egress?: EgressPause;
  /** The organisation's monthly call count. @defaultValue none */
  readonly monthly?: MonthlyCallMeter;
}

export interface SimAndClient {
  readonly sim: DingTalkSimulator;
  readonly client: DingTalkClient;
  readonly stats: CallStats;
  readonly logs: LogCapture;
  readonly settings: DingTalkClientOptions['settings'];
  close(): Promise<void>;
}

/** A client for the given simulator, with its own token cache, stats and captured debug log. */
export function clientFor(sim: { url: string; appKey: string; appSecret: string }, setup: ClientSetup = {}) {
  const settings = buildProfile({
    dingtalk: {
      appKey: sim.appKey,
      appSecret: sim.appSecret,
      oapiBaseUrl: sim.url,
      apiBaseUrl: sim.url,
      qps: 1000,
      ...setup.dingtalk,
    },
  }).dingtalk;
  const stats = new CallStats();
  const logs = new LogCapture();
  const client = new DingTalkClient({
    settings,
    pacer: setup.pacer ?? unpaced,
    egress: setup.egress ?? localEgressPause(300),
    log: createLogger({ destination: logs, level: 'debug' }),
    stats,
    monthly: setup.monthly,
    tokenCache: setup.tokenCache ?? new TokenCache(),
    retryBaseMs: setup.retryBaseMs ?? 5,
    now: setup.now,
  });
  return { client, stats, logs, settings };
}

/** A simulator and a client of it; `close()` stops the simulator. */
export async function startSimAndClient(
  simOptions: DingTalkSimulatorOptions = {},
  setup: ClientSetup = {},
): Promise<SimAndClient> {
  const sim = await startDingTalkSimulator(simOptions);
  return { sim, ...clientFor(sim, setup), close: () => sim.close() };
}

/** Awaits a promise expected to reject and returns the reason (typed by the caller). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

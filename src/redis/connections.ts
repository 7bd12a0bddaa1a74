import { Redis, type RedisOptions } from 'ioredis';
import { RedisUnreachableError } from '../errors/redis-unreachable-error.js';
import { maskUrlPassword } from './url.js';

/**
 * Fails fast, with one clear line, when the configured Redis does not answer. The long-running
 * and operator commands call this first; they never start or install a Redis.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    // a refused socket never emits 'close', so ioredis would hold the process 2 s on disconnect
    disconnectTimeout: 50,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let firstError: unknown;
  probe.on('error', (err) => {
    firstError ??= err;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new RedisUnreachableError(maskUrlPassword(url), describe(firstError ?? err));
  } finally {
    probe.disconnect();
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code ?? err.message.split('\n')[0] ?? 'error';
  }
  return 'error';
}

/** A connection for BullMQ Workers and blocking use: retries forever (Workers require it). */
export function workerConnection(url: string, extra: RedisOptions = {}): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null, ...extra });
  r.on('error', () => undefined);
  return r;
}

/** A connection for producers and operator commands: fails fast instead of queueing commands. */
export function producerConnection(url: string, extra: RedisOptions = {}): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, ...extra });
  r.on('error', () => undefined);
  return r;
}

import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Secret } from '../config/secret.js';
import { RedisUnreachableError } from '../errors/redis-unreachable-error.js';
import type { RedisClient } from './client.js';
import { describeRedis, targetOf, type RedisTarget } from '../config/redis-target.js';

export type { RedisClient } from './client.js';

const reveal = (s: Secret | undefined) => (s?.isSet === true ? s.reveal() : undefined);

/**
 * The one place that makes Redis connections: every role, BullMQ's queues, workers and event
 * readers, the pacer, the locks and the state all get theirs here, so each runs on a single
 * Redis, a Sentinel set or a Cluster alike, through ioredis's own clients.
 */
function open(where: RedisTarget | string, options: RedisOptions): RedisClient {
  const target = targetOf(where);
  switch (target.mode) {
    case 'single':
      return new Redis(target.url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        sentinels: target.sentinels.map((n) => ({ host: n.host, port: n.port })),
        name: target.name,
        password: reveal(target.password),
        sentinelPassword: reveal(target.sentinelPassword),
        // A failover that demotes a live master to replica: its first refused write reconnects
        // through the sentinels and is sent again, to the new master (2). Not ioredis's
        // failoverDetector: its +switch-master disconnect can land while the client reconnects
        // after a crash, which ends the client for good ("Connection is closed").
        reconnectOnError: (err: Error) => (err.message.startsWith('READONLY') ? 2 : false),
        ...(typeof options.retryStrategy === 'function'
          ? { sentinelRetryStrategy: options.retryStrategy }
          : {}),
      });
    case 'cluster': {
      // the Cluster takes retries, the offline queue and lazy connecting at its own level
      const { retryStrategy, enableOfflineQueue, lazyConnect, ...perNode } = options;
      return new Cluster(
        target.nodes.map((n) => ({ host: n.host, port: n.port })),
        {
          redisOptions: { ...perNode, password: reveal(target.password) },
          ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
          ...(lazyConnect === undefined ? {} : { lazyConnect }),
          ...(typeof retryStrategy === 'function' ? { clusterRetryStrategy: retryStrategy } : {}),
        },
      );
    }
  }
}

/**
 * Fails fast, with one clear line, when the configured Redis does not answer. The long-running
 * and operator commands call this first; they never start or install a Redis.
 */
export async function assertRedisReachable(where: RedisTarget | string, timeoutMs = 3000): Promise<void> {
  const probe = open(where, {
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
    throw new RedisUnreachableError(describeRedis(where), describe(firstError ?? err));
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
export function workerConnection(where: RedisTarget | string, extra: RedisOptions = {}): RedisClient {
  const r = open(where, { maxRetriesPerRequest: null, ...extra });
  r.on('error', () => undefined);
  return r;
}

/** A connection for producers and operator commands: fails fast instead of queueing commands. */
export function producerConnection(where: RedisTarget | string, extra: RedisOptions = {}): RedisClient {
  const r = open(where, { maxRetriesPerRequest: 1, enableOfflineQueue: true, ...extra });
  r.on('error', () => undefined);
  return r;
}

import type { Command } from 'commander';
import type { RedisClient } from '../redis/client.js';
import type { LoadedConfig } from '../config/load.js';
import { producerConnection } from '../redis/connections.js';
import { redisTargetOf, type RedisTarget } from '../config/redis-target.js';
import { openSyncQueue, type SyncQueue } from '../queue/queue.js';
import { RunHistory } from '../state/history.js';
import { StateKeys } from '../state/keys.js';
import { loadFor } from './context.js';
import { cliLang, type CliLang } from './lang.js';
import type { ReportStyle } from './print-report.js';
import { reachRedis } from './reach-redis.js';

/** What an operator command (sync, approve, reject, status, runs) works with. */
export interface Operator {
  readonly loaded: LoadedConfig;
  /** The output's language and its catalog. */
  readonly lang: CliLang;
  /** Where its Redis is: for the connections it opens itself (the run's event reader). */
  readonly redisTarget: RedisTarget;
  readonly redis: RedisClient;
  readonly queue: SyncQueue;
  readonly keys: StateKeys;
  readonly history: RunHistory;
}

/** Loads the config, checks Redis (exit 5 if unreachable), runs `fn`, and closes everything. */
export async function withOperator<T>(cmd: Command, fn: (op: Operator) => Promise<T>): Promise<T> {
  const loaded = loadFor(cmd);
  const lang = cliLang(cmd, loaded.config);
  const redisTarget = redisTargetOf(loaded.config);
  await reachRedis(redisTarget, lang);
  const redis = producerConnection(redisTarget);
  const keys = new StateKeys(loaded.config.redis.prefix);
  const queue = openSyncQueue(redis, loaded.config.redis.prefix, loaded.config.runs);
  // a command's Redis errors end it with one line; without a listener BullMQ prints stack traces
  queue.on('error', () => undefined);
  try {
    return await fn({
      loaded,
      lang,
      redisTarget,
      redis,
      queue,
      keys,
      history: new RunHistory(redis, keys, loaded.config.history.keepRuns),
    });
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** How this operator's reports print: their language, and the profile's timezone. */
export function reportStyle(op: Operator, profileId: string, maxPeople?: number): ReportStyle {
  const profile = op.loaded.config.profiles.find((p) => p.id === profileId);
  return {
    t: op.lang.t,
    locale: op.lang.locale,
    timeZone: profile?.sync.schedule.timezone ?? 'Asia/Shanghai',
    ...(maxPeople === undefined ? {} : { maxPeople }),
  };
}

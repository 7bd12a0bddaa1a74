import { RedisUnreachableError } from '../errors/redis-unreachable-error.js';
import { assertRedisReachable } from '../redis/connections.js';
import type { RedisTarget } from '../config/redis-target.js';
import { cliError, type CliLang } from './lang.js';

/** assertRedisReachable, its one line worded in the operator's language (exit 5). */
export async function reachRedis(target: RedisTarget, lang: CliLang): Promise<void> {
  try {
    await assertRedisReachable(target);
  } catch (err) {
    if (!(err instanceof RedisUnreachableError)) throw err;
    throw cliError(lang, err.exitCode, err.code, 'cli.redisUnreachable', { url: err.url, cause: err.detail });
  }
}

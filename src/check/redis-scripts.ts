import type { RedisClient } from '../redis/client.js';
import type { CheckItem } from './items.js';

/**
 * A script written as BullMQ writes its own: it reads a key it builds from one it was given
 * (`KEYS[1] .. suffix`, as BullMQ builds a job's keys from the queue's), a key in the same hash
 * tag and so in the same Cluster slot. Redis, Sentinel and a Redis Cluster run it; a cluster
 * proxy that checks scripts refuses it, as Alibaba Cloud Redis/Tair in proxy mode does while
 * its parameter script_check_enable is 1. It only reads.
 */
const PROBE = "return redis.call('EXISTS', KEYS[1] .. ARGV[1])";

/**
 * The proxy's refusals, as Alibaba Cloud documents them ("Lua 脚本使用限制" of 云数据库 Redis,
 * help.aliyun.com/document_detail/92942.html): "ERR bad lua script for redis cluster, all the
 * keys that the script uses should be passed using the KEYS array" (newer proxies add ", and
 * KEYS should not be in expression"), and "ERR for redis cluster, eval/evalsha number of keys
 * can't be negative or zero". Both say "for redis cluster".
 */
const PROXY_REFUSAL = /for redis cluster/i;

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/** Whether this Redis runs BullMQ's scripts: the item `redis_scripts` of 配置检测. */
export async function checkRedisScripts(redis: RedisClient, prefix: string): Promise<CheckItem> {
  try {
    await redis.eval(PROBE, 1, `${prefix}:check`, ':undeclared');
    return { level: 'ok', code: 'redis_scripts', state: 'ok', params: {} };
  } catch (err) {
    const reply = firstLine(err);
    const state = PROXY_REFUSAL.test(reply) ? 'refused' : 'error';
    return { level: 'fail', code: 'redis_scripts', state, params: { reply } };
  }
}

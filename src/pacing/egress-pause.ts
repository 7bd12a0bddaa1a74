import { performance } from 'node:perf_hooks';
import type { RedisClient } from '../redis/client.js';
import { pause } from '../errors/abort.js';

/*
 * DingTalk's per-IP ban (reference §4: 10,000 calls in 20 s from one egress address, then about
 * five minutes of `{"status":1111,"wait":N}` or an HTML page, for every app and API) bans this
 * deployment, not one app: every DingTalk call of every profile and role must stop until it
 * lifts. The pause is one Redis key that every DingTalk call reads before it books its instant,
 * as the pacer's schedule is: a ban one worker meets pauses all of them.
 */

/** Whether the pause so far stays within `dingtalkBan.maxWaitSeconds`. */
export type PauseVerdict =
  | { readonly within: true }
  | {
      readonly within: false;
      /** The whole pause, from the first ban answer to its end as known now. */
      readonly pauseSeconds: number;
      readonly maxWaitSeconds: number;
    };

export interface EgressPause {
  /**
   * Resolves when no ban pauses the address (at once, nearly always), or as soon as the pause is
   * known to last longer than allowed. An abort ends the wait with the signal's reason.
   */
  waitOut(signal?: AbortSignal): Promise<PauseVerdict>;
  /** A ban answer asked for `waitSeconds`: every caller's pause lasts at least that long from now. */
  extend(waitSeconds: number): Promise<PauseVerdict>;
}

/**
 * A ban answered again this soon after a pause ended continues that pause: the whole pause is
 * counted from its first answer, so a ban that goes on is not waited out forever in short steps.
 * Safe to change: longer only lets a second, unrelated ban count against the first one's budget.
 */
export const CONTINUED_WITHIN_MS = 60_000;

/**
 * How long a "no pause" read is trusted before Redis is asked again. Trades a Redis round trip
 * per DingTalk call for the calls another process may send into a ban it just met (each then
 * meets the ban itself and pauses). Safe from 0 to about a second.
 */
export const CLEAR_TRUSTED_MS = 250;

/** Never shorter than a second: a `wait` of 0 must not turn the retries into a storm. */
const MIN_WAIT_MS = 1000;

/** The Redis key of the deployment's DingTalk pause (a hash: `since`, `until`, in Redis's ms). */
export const egressPauseKey = (prefix: string): string => `${prefix}:egress-pause:dingtalk`;

/** `{since, until}` of the pause in Redis's clock (ms), and Redis's now. */
type PauseState = readonly [since: number, until: number, now: number];

const READ = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('HMGET', KEYS[1], 'since', 'until')
return {tonumber(v[1] or '0'), tonumber(v[2] or '0'), now}
`;

const EXTEND = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('HMGET', KEYS[1], 'since', 'until')
local since = tonumber(v[1] or '0')
local untilAt = tonumber(v[2] or '0')
if untilAt + tonumber(ARGV[2]) < now then
  since = now
  untilAt = now
end
local target = now + tonumber(ARGV[1])
if target > untilAt then untilAt = target end
redis.call('HSET', KEYS[1], 'since', string.format('%.0f', since), 'until', string.format('%.0f', untilAt))
redis.call('PEXPIRE', KEYS[1], untilAt - now + tonumber(ARGV[2]))
return {since, untilAt, now}
`;

type Script = (key: string, ...args: string[]) => Promise<PauseState>;

/**
 * The pause shared through Redis by every process of the deployment. Reads are cached for
 * `CLEAR_TRUSTED_MS` while there is no pause, so a DingTalk call costs no round trip then.
 */
export class RedisEgressPause implements EgressPause {
  readonly #key: string;
  readonly #read: Script;
  readonly #extend: Script;
  #clearUntil = 0;

  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly maxWaitSeconds: number,
  ) {
    this.#key = egressPauseKey(prefix);
    redis.defineCommand('dtsyncPauseRead', { numberOfKeys: 1, lua: READ });
    redis.defineCommand('dtsyncPauseExtend', { numberOfKeys: 1, lua: EXTEND });
    const cmds = redis as unknown as Record<string, Script | undefined>;
    const read = cmds.dtsyncPauseRead;
    const extend = cmds.dtsyncPauseExtend;
    if (read === undefined || extend === undefined) throw new Error('could not define the pause scripts');
    this.#read = read.bind(redis);
    this.#extend = extend.bind(redis);
  }

  async waitOut(signal?: AbortSignal): Promise<PauseVerdict> {
    for (;;) {
      if (performance.now() < this.#clearUntil) return WITHIN;
      signal?.throwIfAborted();
      const [since, until, now] = await this.#read(this.#key);
      if (until <= now) {
        this.#clearUntil = performance.now() + CLEAR_TRUSTED_MS;
        return WITHIN;
      }
      const verdict = this.#verdict(since, until);
      if (!verdict.within) return verdict;
      await pause(until - now, signal);
    }
  }

  async extend(waitSeconds: number): Promise<PauseVerdict> {
    this.#clearUntil = 0;
    const ms = Math.max(MIN_WAIT_MS, Math.round(waitSeconds * 1000));
    const [since, until] = await this.#extend(this.#key, String(ms), String(CONTINUED_WITHIN_MS));
    return this.#verdict(since, until);
  }

  #verdict(since: number, until: number): PauseVerdict {
    return verdictOf(until - since, this.maxWaitSeconds);
  }
}

const WITHIN: PauseVerdict = { within: true };

function verdictOf(pauseMs: number, maxWaitSeconds: number): PauseVerdict {
  if (pauseMs <= maxWaitSeconds * 1000) return WITHIN;
  return { within: false, pauseSeconds: Math.round(pauseMs / 1000), maxWaitSeconds };
}

/**
 * A pause kept in this process only: for `dtsync check` without Redis and for tests of one
 * client. The services share theirs through Redis (RedisEgressPause).
 */
export function localEgressPause(maxWaitSeconds: number, now: () => number = Date.now): EgressPause {
  let since = 0;
  let until = 0;
  return {
    async waitOut(signal) {
      for (;;) {
        const t = now();
        if (until <= t) return WITHIN;
        const verdict = verdictOf(until - since, maxWaitSeconds);
        if (!verdict.within) return verdict;
        await pause(until - t, signal);
      }
    },
    extend(waitSeconds) {
      const t = now();
      if (until + CONTINUED_WITHIN_MS < t) since = until = t;
      until = Math.max(until, t + Math.max(MIN_WAIT_MS, Math.round(waitSeconds * 1000)));
      return Promise.resolve(verdictOf(until - since, maxWaitSeconds));
    },
  };
}

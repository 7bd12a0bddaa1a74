import type { RedisClient } from '../redis/client.js';

/**
 * Spaces calls evenly across every process sharing Redis: a GCRA ("virtual scheduling")
 * reservation. Each call atomically books the next free instant, `interval` after the last
 * booking, and sleeps until it, so no window of one second ever holds more than `qps` calls,
 * however many processes share the key, and waiters do not poll or stampede.
 *
 * Why not rate-limiter-flexible: its Redis limiter counts fixed windows (`SET … EX <seconds>`),
 * which lets 2×qps land in one real second across a window edge, and its `execEvenly` spreads
 * calls per process only. The remote services count a sliding second, so we book instants.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = tat
if now > start then start = now end
local nextTat = start + interval * n
redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.floor((nextTat - now) / 1000) + 1000)
return start - now
`;

/**
 * Books `count` consecutive instants `intervalMicros` apart on `key`, in one round trip;
 * resolves to the microseconds from now until the first (0 or less: at once).
 */
export type ReserveFn = (key: string, intervalMicros: string, count: string) => Promise<number>;

/** The reservation script, defined once on this connection. */
export function defineReserve(redis: RedisClient): ReserveFn {
  redis.defineCommand('dtsyncPaceReserve', { numberOfKeys: 1, lua: RESERVE });
  const cmd = (redis as unknown as Record<string, ReserveFn>).dtsyncPaceReserve;
  if (cmd === undefined) throw new Error('could not define the pacing script');
  return cmd.bind(redis);
}

/**
 * Share of the configured qps actually booked. Trades throughput (each point costs about 1 % of
 * a run's time) for room in the remote's second for calls that reach its counter bunched: sent
 * late by a busy event loop (up to `MAX_LATENESS_MS`) or read late by the remote. Lowering it is
 * safe (slower); raising it is not: at 0.95 the benchmark's busiest DingTalk second went over
 * the limit (docs/performance.md).
 */
export const PACING_HEADROOM = 0.94;

/**
 * Calls a second actually booked for a limit of `qps`: `PACING_HEADROOM` of it, but at least two
 * calls a second below the limit (never under half of it). At a low limit a percentage leaves
 * too little room: at DingTalk's real 20 QPS one late call puts a 21st into a second, and DingTalk
 * then bans the API for a whole second. The two calls cost ~4 % of the walk's time at 20 QPS;
 * limits of 34 QPS and up keep the percentage.
 */
export function pacedQps(qps: number): number {
  return Math.max(qps / 2, Math.min(qps * PACING_HEADROOM, qps - 2));
}

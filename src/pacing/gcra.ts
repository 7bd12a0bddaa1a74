import type { Redis } from 'ioredis';

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
export function defineReserve(redis: Redis): ReserveFn {
  redis.defineCommand('dtsyncPaceReserve', { numberOfKeys: 1, lua: RESERVE });
  const cmd = (redis as unknown as Record<string, ReserveFn>).dtsyncPaceReserve;
  if (cmd === undefined) throw new Error('could not define the pacing script');
  return cmd.bind(redis);
}

/**
 * Share of the configured qps actually booked. The margin absorbs the bunching between the
 * booked instant and the request reaching the remote counter: calls a busy event loop sends late
 * (up to `MAX_LATENESS_MS`) and the remote's own late reading. Measured on the 2-core benchmark
 * (100,000 users, DingTalk at 200 QPS, the worker's one thread saturated in the no-op and churn
 * runs): at 95 % the simulator's busiest second reached 202 of 200 in some runs; at 94 % a
 * packet capture counted at most 197 on the wire, though the simulator, reading late on the
 * shared cores, still counted 201–207 in some runs (README, Performance). 94 % gives each second
 * two more calls of room at 200 QPS, for ~1 % of every run's time. Below 34 QPS `pacedQps`
 * leaves more (two calls a second).
 */
export const PACING_HEADROOM = 0.94;

/**
 * Calls a second actually booked for a limit of `qps`: 94 %, but at least two calls a second
 * below the limit (never under half of it). A percentage alone leaves a low limit too little
 * room: at DingTalk's real 20 QPS, 94 % books an instant every 53 ms, and one call read 64 ms
 * late (a late call and a late-reading remote together) puts a 21st call into a second; the
 * three-profile benchmark counted 21 once. At 18 a second a 21st needs 111 ms. It costs 4 % of
 * the walk's time at 20 QPS, where the sync is idle, and a throttled DingTalk call costs more:
 * DingTalk bans the API for a whole second. Limits of 34 QPS and up keep 94 %.
 */
export function pacedQps(qps: number): number {
  return Math.max(qps / 2, Math.min(qps * PACING_HEADROOM, qps - 2));
}

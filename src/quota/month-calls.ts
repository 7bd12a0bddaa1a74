import type { RedisClient } from '../redis/client.js';
import type { StateKeys } from '../state/keys.js';

/** An organisation's DingTalk calls in one quota month, by API path, as every role counted them. */
export interface MonthCalls {
  /** HTTP attempts sent, retries included. */
  readonly calls: Readonly<Record<string, number>>;
  /** Answers that the monthly quota is spent (90020, `Forbidden.AccessDenied.ApiCountLimitForOrg`). */
  readonly refused: Readonly<Record<string, number>>;
}

export const NO_CALLS: MonthCalls = { calls: {}, refused: {} };

/**
 * A month's hash as stored (call-counter.ts). Fields it does not know (a newer layout's) are
 * left out: the counts it knows read the same in every version.
 */
export function parseMonthHash(hash: Readonly<Record<string, string>>): MonthCalls {
  const calls: Record<string, number> = {};
  const refused: Record<string, number> = {};
  for (const [field, raw] of Object.entries(hash)) {
    const n = Number(raw);
    if (!Number.isFinite(n)) continue;
    if (field.startsWith('call:')) calls[field.slice(5)] = n;
    else if (field.startsWith('refused:')) refused[field.slice(8)] = n;
  }
  return { calls, refused };
}

/** The month's calls of each organisation named, in one round trip. */
export async function readMonthCalls(
  redis: RedisClient,
  keys: StateKeys,
  orgs: readonly string[],
  month: string,
): Promise<Map<string, MonthCalls>> {
  if (orgs.length === 0) return new Map();
  const p = redis.pipeline();
  for (const org of orgs) p.hgetall(keys.dingtalkCalls(org, month));
  const results = (await p.exec()) ?? [];
  return new Map(
    orgs.map((org, i) => {
      const [err, hash] = results[i] ?? [new Error('no reply'), null];
      if (err !== null) throw err;
      return [org, parseMonthHash((hash ?? {}) as Record<string, string>)];
    }),
  );
}

/** The calls the quota counts: those to the metered APIs, or every call when none are named. */
export function meteredTotal(
  calls: Readonly<Record<string, number>>,
  metered: readonly string[] | undefined,
): number {
  const counted = metered === undefined ? undefined : new Set(metered);
  let total = 0;
  for (const [path, n] of Object.entries(calls)) if (counted === undefined || counted.has(path)) total += n;
  return total;
}

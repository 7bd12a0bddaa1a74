import { createHash } from 'node:crypto';
import type { RedisClient } from '../redis/client.js';
import { z } from 'zod';
import { parseStored, storedJson, type StoredShape } from '../state/parse-stored.js';
import type { IncidentKind } from './messages.js';
import type { Channel, SendOutcome, SendResult } from './channels.js';

export const INCIDENT_KINDS = [
  'failed',
  'held',
  'record_errors',
  'stale',
  'quota',
] as const satisfies readonly IncidentKind[];

/** What a successful run resolves: all but the quota's, which only the month's use resolves. */
export const RUN_INCIDENT_KINDS = INCIDENT_KINDS.filter((k) => k !== 'quota');

/** An open incident: what opened it. */
export interface Incident {
  readonly openedAt: string;
  readonly runId: string | undefined;
}

/** The last notification sent for a profile, for `dtsync status` and the status page. */
export interface LastNotification {
  readonly at: string;
  readonly kind: IncidentKind;
  readonly state: 'open' | 'resolved';
  readonly results: readonly SendResult[];
}

/** What this store writes, checked when read back (a bad value fails with its key named). */
const incidentSchema: z.ZodType<Incident> = z.looseObject({
  openedAt: z.string(),
  runId: z
    .string()
    .optional()
    .transform((v) => v),
});
const lastNotificationSchema: z.ZodType<LastNotification> = z.looseObject({
  at: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  state: z.enum(['open', 'resolved']),
  results: z.array(
    z.looseObject({
      channel: z.enum(['dingtalk_robot', 'webhook'] as const satisfies readonly Channel[]),
      outcome: z.enum(['ok', 'error', 'timeout', 'rate_limited'] as const satisfies readonly SendOutcome[]),
      detail: z.string().optional(),
    }),
  ),
});

/** The versions of what this store writes (src/state/parse-stored.ts): both unchanged since version 1. */
const STORED_INCIDENT: StoredShape<Incident> = {
  version: 2,
  read: { 1: incidentSchema, 2: incidentSchema },
  fields: (i) => i,
};
const STORED_LAST: StoredShape<LastNotification> = {
  version: 2,
  read: { 1: lastNotificationSchema, 2: lastNotificationSchema },
  fields: (l) => l,
};

/** A robot takes at most this many messages a minute (DingTalk's limit); more are not sent. */
export const ROBOT_PER_MINUTE = 20;

/**
 * The incidents of each profile and the notifications sent, in Redis: one message per incident
 * however many schedulers and workers see it, because opening and resolving are atomic there.
 */
export class IncidentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  #key(what: string, profileId: string): string {
    return `${this.prefix}:notify:${what}:${profileId}`;
  }

  /** Opens an incident; true only for the one caller that opened it (the one that notifies). */
  async open(profileId: string, kind: IncidentKind, incident: Incident): Promise<boolean> {
    return (
      (await this.redis.hsetnx(
        this.#key('incidents', profileId),
        kind,
        storedJson(STORED_INCIDENT, incident),
      )) === 1
    );
  }

  /** Closes these kinds at once; returns those that were open (for one "resolved" message). */
  async resolve(profileId: string, kinds: readonly IncidentKind[]): Promise<IncidentKind[]> {
    const key = this.#key('incidents', profileId);
    const res = await this.redis
      .multi()
      .hmget(key, ...kinds)
      .hdel(key, ...kinds)
      .exec();
    const [err, values] = res?.[0] ?? [new Error('no reply'), []];
    if (err !== null) throw err;
    return kinds.filter((_k, i) => (values as (string | null)[])[i] != null);
  }

  async openIncidents(profileId: string): Promise<Partial<Record<IncidentKind, Incident>>> {
    const key = this.#key('incidents', profileId);
    const all = await this.redis.hgetall(key);
    const out: Partial<Record<IncidentKind, Incident>> = {};
    for (const kind of INCIDENT_KINDS) {
      const v = all[kind];
      if (v !== undefined) out[kind] = parseStored(STORED_INCIDENT, `${key} field ${kind}`, v);
    }
    return out;
  }

  async setLast(profileId: string, last: LastNotification): Promise<void> {
    await this.redis.set(this.#key('last', profileId), storedJson(STORED_LAST, last));
  }

  async last(profileId: string): Promise<LastNotification | undefined> {
    const key = this.#key('last', profileId);
    const v = await this.redis.get(key);
    return v === null ? undefined : parseStored(STORED_LAST, key, v);
  }

  /** When staleness is first watched for a profile that never succeeded: its clock starts there. */
  async watchSince(profileId: string, nowMs: number): Promise<number> {
    const key = this.#key('watch', profileId);
    await this.redis.set(key, String(nowMs), 'NX');
    return Number((await this.redis.get(key)) ?? nowMs);
  }

  /** Takes one of a robot's messages this minute; false past the limit. Keyed by a hash, not the token. */
  async robotSlot(webhook: string, nowMs: number): Promise<boolean> {
    const robot = createHash('sha256').update(webhook).digest('hex').slice(0, 16);
    const key = `${this.prefix}:notify:robot:${robot}:${Math.floor(nowMs / 60_000)}`;
    const [[, n] = [null, 0]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) ?? [];
    return Number(n) <= ROBOT_PER_MINUTE;
  }
}

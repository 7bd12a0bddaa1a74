import type { RedisClient } from '../redis/client.js';
import type { SendResult } from './channels.js';
import { INCIDENT_KINDS, IncidentStore } from './incidents.js';
import type { IncidentKind } from './messages.js';

/** A profile's alert state, as `dtsync status` and the status page show it. */
export interface AlertState {
  readonly openIncidents: readonly { kind: IncidentKind; openedAt: string; runId: string | null }[];
  readonly lastNotification: {
    readonly at: string;
    readonly kind: IncidentKind;
    readonly state: 'open' | 'resolved';
    /** Some channel did not deliver it. */
    readonly failed: boolean;
    readonly results: readonly SendResult[];
  } | null;
}

export async function alertStateOf(
  redis: RedisClient,
  prefix: string,
  profileId: string,
): Promise<AlertState> {
  const store = new IncidentStore(redis, prefix);
  const [open, last] = await Promise.all([store.openIncidents(profileId), store.last(profileId)]);
  return {
    openIncidents: INCIDENT_KINDS.flatMap((kind) => {
      const i = open[kind];
      return i === undefined ? [] : [{ kind, openedAt: i.openedAt, runId: i.runId ?? null }];
    }),
    lastNotification:
      last === undefined ? null : { ...last, failed: last.results.some((r) => r.outcome !== 'ok') },
  };
}

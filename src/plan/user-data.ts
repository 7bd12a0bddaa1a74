import {
  DISABLED_BY_SYNC,
  SOURCE_DINGTALK,
  UD,
  USER_DATA_MAX_CHARS,
  userDataLength,
} from '../pds-snapshot/markers.js';
import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import type { SourceUser } from '../source/snapshot.js';
import type { DisableReason } from './disable-reason.js';
import type { PlanOptions } from './types.js';

type Data = Readonly<Record<string, string>>;

/**
 * The `user_data` keys the sync writes on every user it manages, and their values: the one list
 * the planner and the in-step check read. `undefined` (no unionid from DingTalk) keeps what PDS
 * holds.
 */
const MARKERS: readonly (readonly [string, (u: SourceUser, o: PlanOptions) => string | undefined])[] = [
  [UD.source, () => SOURCE_DINGTALK],
  [UD.profile, (_u, o) => o.profileId],
  [UD.userid, (u) => u.userid],
  [UD.unionid, (u) => u.unionid],
];

const DISABLE_KEYS: readonly string[] = [UD.disabledBy, UD.disabledAt, UD.disabledReason];

/** `base` with the sync's markers for this DingTalk user on top. */
export function markedUserData(base: Data, u: SourceUser, o: PlanOptions): Record<string, string> {
  const data: Record<string, string> = { ...base };
  for (const [key, value] of MARKERS) {
    const v = value(u, o);
    if (v !== undefined) data[key] = v;
  }
  return data;
}

/**
 * The markers already say this DingTalk user and profile, and the user carries no disable
 * record of the sync's (such a user is back in scope, or was enabled by an admin: either way it
 * is decided in full). Allocates nothing: it is most users on most runs.
 */
export function markersInStep(data: Data, u: SourceUser, o: PlanOptions): boolean {
  for (const [key, value] of MARKERS) {
    const v = value(u, o);
    if (v !== undefined && data[key] !== v) return false;
  }
  return data[UD.disabledBy] !== DISABLED_BY_SYNC;
}

/** What to do with a managed user's `user_data`. */
export type UserDataPlan =
  | { readonly kind: 'keep' }
  | { readonly kind: 'write'; readonly data: Data }
  /** The sync's keys would not fit PDS's limit: the user cannot be updated (a planned failure). */
  | { readonly kind: 'tooLong' };

function sameData(a: Data, b: Data): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/**
 * The markers on top of what the user holds; the sync's disable record goes once an admin has
 * enabled the user again (it has served its purpose). Every other key is kept as found.
 */
export function planUserData(m: ManagedUser, u: SourceUser, o: PlanOptions): UserDataPlan {
  let data = markedUserData(m.userData, u, o);
  if (m.status === 'enabled' && m.userData[UD.disabledBy] === DISABLED_BY_SYNC) {
    data = Object.fromEntries(Object.entries(data).filter(([k]) => !DISABLE_KEYS.includes(k)));
  }
  if (sameData(data, m.userData)) return { kind: 'keep' };
  return userDataLength(data) > USER_DATA_MAX_CHARS ? { kind: 'tooLong' } : { kind: 'write', data };
}

/** A managed user's `user_data` with the sync's record of why (a code) and when it disabled the user. */
export function disableRecord(m: ManagedUser, o: PlanOptions, reason: DisableReason): Data {
  return {
    ...m.userData,
    [UD.disabledBy]: DISABLED_BY_SYNC,
    [UD.disabledAt]: o.now,
    [UD.disabledReason]: reason,
  };
}

/**
 * A retired account's `user_data`: the retired marker (it leaves the managed set), with the
 * disable record when the sync disables it. Every other key, the old person's unionid included,
 * is kept as found.
 */
export function retireRecord(m: ManagedUser, o: PlanOptions, disable: boolean): Data {
  const reason: DisableReason = 'identity_reused';
  return { ...(disable ? disableRecord(m, o, reason) : m.userData), [UD.retired]: reason };
}

/** The sync disabled this user (out of scope) and its record is still on it. */
export const disabledBySync = (m: ManagedUser): boolean => m.userData[UD.disabledBy] === DISABLED_BY_SYNC;

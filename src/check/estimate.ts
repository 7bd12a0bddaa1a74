import type { Profile } from '../config/schema.js';
import { pacedQps } from '../pacing/gcra.js';

/**
 * What a full first sync costs: the DingTalk reads the scope walk just made (the same calls a
 * run makes), and the PDS writes of a first sync (one create and up to two links per user, one
 * group per department), at the rates the pacer books for the configured limits (`pacedQps`:
 * 18 a second at DingTalk's 20).
 */
export function estimateOf(
  profile: Profile,
  calls: Record<string, number>,
  scope: { departments: number; users: number },
) {
  const dingtalkSeconds = Math.max(0, ...Object.values(calls).map((n) => n / pacedQps(profile.dingtalk.qps)));
  const pdsWritesFirstSync = scope.users * (profile.sync.syncPhone ? 3 : 2) + scope.departments;
  const pdsSeconds =
    (pdsWritesFirstSync + Math.ceil(scope.users / 100) + scope.departments) / pacedQps(profile.pds.qps);
  return {
    dingtalkCalls: calls,
    dingtalkSeconds: Math.round(dingtalkSeconds),
    pdsWritesFirstSync,
    pdsSeconds: Math.round(pdsSeconds),
    minutes: Math.ceil((dingtalkSeconds + pdsSeconds) / 60),
  };
}

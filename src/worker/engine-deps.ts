import type { RedisClient } from '../redis/client.js';
import type { Profile } from '../config/schema.js';
import { DingTalkClient } from '../dingtalk/client.js';
import type { EngineDeps, RunProgress } from '../engine/run-sync.js';
import { CallStats } from '../http/call-stats.js';
import type { EgressPause } from '../pacing/egress-pause.js';
import type { Logger } from '../process/logger.js';
import type { Pacer } from '../pacing/pacer.js';
import { createPdsClient } from '../pds/client.js';
import type { DingTalkQuota } from '../quota/dingtalk-quota.js';
import { buildSourceSnapshot } from '../source/build-snapshot.js';
import { AbsenceState } from '../state/absences.js';
import { DisableLedger } from '../state/disable-ledger.js';
import { RunHistory } from '../state/history.js';
import type { StateKeys } from '../state/keys.js';
import { SnapshotState } from '../state/snapshot-state.js';

export interface EngineFactoryDeps {
  /** `history.keepRuns`. */
  readonly keepRuns: number;
  readonly redis: RedisClient;
  readonly keys: StateKeys;
  readonly pacer: Pacer;
  /** The DingTalk ban's pause, shared by every process of the deployment. */
  readonly egress: EgressPause;
  readonly log: Logger;
  /** DingTalk's monthly quota (quota/dingtalk-quota.ts): every role that calls DingTalk counts there. */
  readonly quota?: DingTalkQuota | undefined;
}

/** Clients and state for one run: fresh call counters per run, shared pacing across processes. */
export function engineFactory(d: EngineFactoryDeps) {
  const snapshots = new SnapshotState(d.redis, d.keys);
  const history = new RunHistory(d.redis, d.keys, d.keepRuns);
  const absences = new AbsenceState(d.redis, d.keys);
  const ledger = new DisableLedger(d.redis, d.keys);
  return (profile: Profile, signal: AbortSignal, onProgress: (p: RunProgress) => void): EngineDeps => {
    const stats = { dingtalk: new CallStats(), pds: new CallStats() };
    const log = d.log.child({ profileId: profile.id });
    const dingtalk = new DingTalkClient({
      settings: profile.dingtalk,
      pacer: d.pacer,
      egress: d.egress,
      log,
      stats: stats.dingtalk,
      monthly: d.quota?.meter(profile),
    });
    const pds = createPdsClient({ settings: profile.pds, pacer: d.pacer, log, stats: stats.pds });
    return {
      readSource: (s, onUser, onProgress) =>
        buildSourceSnapshot(dingtalk, profile.sync.scope, { signal: s, onUser, onProgress }),
      pds,
      dingtalk,
      snapshots,
      history,
      absences,
      ledger,
      log: d.log,
      stats,
      quota: d.quota,
      signal,
      onProgress: (p) => {
        // the run's calls reach the month's count as it ends, for the next run's quota hold
        if (p.phase === 'done') void d.quota?.flush();
        onProgress(p);
      },
    };
  };
}

import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import type { Profile } from '../../src/config/schema.js';
import { DingTalkClient } from '../../src/dingtalk/client.js';
import { TokenCache } from '../../src/dingtalk/token.js';
import { runSync, type EngineDeps, type RunRequest } from '../../src/engine/run-sync.js';
import { CallStats } from '../../src/http/call-stats.js';
import { createLogger, type Logger } from '../../src/process/logger.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { createPdsClient } from '../../src/pds/client.js';
import type { PdsRetrySettings } from '../../src/pds/retry.js';
import type { RunReport } from '../../src/report/types.js';
import { buildSourceSnapshot } from '../../src/source/build-snapshot.js';
import { AbsenceState } from '../../src/state/absences.js';
import { DisableLedger } from '../../src/state/disable-ledger.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { SnapshotState } from '../../src/state/snapshot-state.js';

/**
 * The timings the in-process cells run the real clients with: the same retry code and
 * classification as production, with pauses and timeouts scaled down so a storm lasts seconds.
 */
export const FAST: Timing = {
  dingtalkRetryBaseMs: 25,
  pdsRetry: { throttleDelayMs: { min: 20, max: 60 }, backoffBaseMs: 20, backoffMaxMs: 200 },
  // The wait for an answer, so generous: the simulators answer from this process, behind every
  // call of the cells beside it, and on a loaded machine a PDS write waited over 15 s for its
  // turn. A create answered after the timeout lands anyway, and a group create then lands twice
  // (src/apply/groups.ts): the cells' "two groups for department" failures. The stall cell
  // shortens DingTalk's alone.
  dingtalkTimeoutMs: 120_000,
  pdsTimeoutMs: 120_000,
};

export interface Timing {
  readonly dingtalkRetryBaseMs: number;
  readonly pdsRetry: Partial<PdsRetrySettings>;
  readonly dingtalkTimeoutMs: number;
  readonly pdsTimeoutMs: number;
}

/** A debug-level logger whose every JSON line is kept, for the secrets search. */
export function capturingLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line);
      done();
    },
  });
  return createLogger({ level: 'debug', destination: sink });
}

let runSeq = 0;

/**
 * One run through the real engine and real clients (no queue), as the worker wires it but with
 * FAST timings and a token cache of its own (cells share this process).
 */
export function runEngine(
  redis: Redis,
  prefix: string,
  log: Logger,
  profile: Profile,
  req: Partial<Omit<RunRequest, 'profile'>> = {},
  timing: Timing = FAST,
): Promise<RunReport> {
  const keys = new StateKeys(prefix);
  const pacer = new RedisPacer(redis, prefix);
  const egress = new RedisEgressPause(redis, prefix, 300);
  const stats = { dingtalk: new CallStats(), pds: new CallStats() };
  const dingtalk = new DingTalkClient({
    settings: profile.dingtalk,
    pacer,
    egress,
    log,
    stats: stats.dingtalk,
    tokenCache: new TokenCache(),
    retryBaseMs: timing.dingtalkRetryBaseMs,
    timeoutMs: timing.dingtalkTimeoutMs,
  });
  const pds = createPdsClient({
    settings: profile.pds,
    pacer,
    log,
    stats: stats.pds,
    retry: timing.pdsRetry,
    timeoutMs: timing.pdsTimeoutMs,
  });
  const deps: EngineDeps = {
    readSource: (s, onUser) => buildSourceSnapshot(dingtalk, profile.sync.scope, { signal: s, onUser }),
    pds,
    dingtalk,
    snapshots: new SnapshotState(redis, keys),
    history: new RunHistory(redis, keys, 100),
    absences: new AbsenceState(redis, keys),
    ledger: new DisableLedger(redis, keys),
    log,
    stats,
  };
  return runSync(
    {
      runId: req.runId ?? `fault-run-${++runSeq}`,
      trigger: req.trigger ?? 'manual',
      dryRun: req.dryRun ?? false,
      deep: req.deep ?? false,
      approvedRunId: req.approvedRunId,
      profile,
    },
    deps,
  );
}

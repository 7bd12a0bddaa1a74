import type { AbsenceReader } from '../absence/confirm.js';
import type { Profile } from '../config/schema.js';
import type { CallStats } from '../http/call-stats.js';
import type { Logger } from '../process/logger.js';
import type { PdsApi } from '../pds/types.js';
import type { plan } from '../plan/plan.js';
import type { DingTalkQuota } from '../quota/dingtalk-quota.js';
import type { RunTrigger } from '../report/types.js';
import type { SnapshotProgress, SourceUserListener } from '../source/build-snapshot.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { AbsenceState } from '../state/absences.js';
import type { DisableLedger } from '../state/disable-ledger.js';
import type { RunHistory } from '../state/history.js';
import type { SnapshotState } from '../state/snapshot-state.js';
import type { RunProgress } from './progress.js';

export interface RunRequest {
  readonly runId: string;
  readonly profile: Profile;
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
  /** Also read and repair every managed user's links. */
  readonly deep: boolean;
  readonly approvedRunId?: string | undefined;
  /** Which attempt of the run this is (BullMQ's attemptsStarted). @defaultValue 1 */
  readonly attempt?: number | undefined;
  /** The profile config's fingerprint the run ran with (recorded in the report). */
  readonly configFingerprint?: string | undefined;
  /** Who started the run (a web user, a token's name, `cli:<os user>`); absent for the scheduler. */
  readonly startedBy?: string | undefined;
}

export interface EngineDeps {
  /** Reads the complete source snapshot, or throws: no partial picture ever comes back. */
  readonly readSource: (
    signal: AbortSignal | undefined,
    onUser?: SourceUserListener,
    onProgress?: (p: SnapshotProgress) => void,
  ) => Promise<SourceSnapshot>;
  readonly pds: PdsApi;
  /** Reads absent people once more, and the leave records (the DingTalk client). */
  readonly dingtalk: AbsenceReader;
  readonly snapshots: SnapshotState;
  readonly history: RunHistory;
  /** Since when each absent person is absent, and what confirming found. */
  readonly absences: AbsenceState;
  /** The disables the sync made, for the rolling disable budget. */
  readonly ledger: DisableLedger;
  readonly log: Logger;
  readonly stats: { readonly dingtalk: CallStats; readonly pds: CallStats };
  /** DingTalk's monthly quota: the hold's figures, and where a complete walk's calls are kept. */
  readonly quota?: DingTalkQuota | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (p: RunProgress) => void;
  /** The run's clock: start times, grace ends, the disable budget's windows. Tests pass their own. */
  readonly now?: () => Date;
  /** The planner. @defaultValue plan (src/plan); tests pass a wrapper to count its calls. */
  readonly plan?: typeof plan;
}

import { absentCandidates } from '../absence/candidates.js';
import { confirmAbsences, type AbsenceReader } from '../absence/confirm.js';
import type { Confirmation } from '../absence/confirmation.js';
import { preflight, type GateInputs } from '../gate/gate-run.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { AbsenceVerdict } from '../plan/absence.js';
import { warning } from '../report/warnings.js';
import type { ReportWarning } from '../report/types.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { AbsenceRecord } from '../state/absence-schemas.js';
import type { SeenAbsence } from '../state/absences.js';
import type { EngineDeps, RunRequest } from './types.js';

const HOUR_MS = 3600_000;
/** Leave records are read from an hour before the last complete run started: its walk may have raced a leave. */
const LEAVE_MARGIN_MS = HOUR_MS;
/** Without a last complete run, the look-back DingTalk keeps leave records for (reference §3). */
const LEAVE_LOOKBACK_MS = 365 * 24 * HOUR_MS;

/** A person in their grace: not disabled before `until`. */
export interface InGrace {
  readonly userid: string;
  readonly pdsUserId: string;
  readonly since: string;
  readonly until: string;
}

/** What confirming the run's absences gave: the planner's input, and what the report tells. */
export interface AbsenceStep {
  readonly verdicts: ReadonlyMap<string, AbsenceVerdict>;
  /** A pre-flight held the run before any read: every absent person is an unconfirmed disable. */
  readonly unconfirmed: number;
  readonly inGrace: readonly InGrace[];
  readonly warnings: readonly ReportWarning[];
}

const NOTHING: AbsenceStep = { verdicts: new Map(), unconfirmed: 0, inGrace: [], warnings: [] };

/**
 * Confirms each managed, enabled person missing from the complete walk before the one plan():
 * read once (`v2/user/get`) with the leave records, then classified. The order matters:
 * 1. the candidates come from the snapshots alone (nothing is read for people no rule disables);
 * 2. the pre-flights that do not need the plan run first, every candidate counted as a disable
 *    (as the scope guard would count them): a run they hold confirms nothing and spends no call,
 *    and its plan shows the candidates as unconfirmed disables, never written;
 * 3. otherwise each is read and classified, and the first time a run saw each absent is kept
 *    (a real run only): it starts an unexplained person's grace and orders a disable budget;
 * 4. plan() then takes the verdicts; the breaker and the budget, which count the plan's
 *    disables, come after it, so they count confirmed disables only.
 */
export async function confirmAbsencesStep(
  req: RunRequest,
  deps: EngineDeps & { readonly dingtalk: AbsenceReader },
  source: SourceSnapshot,
  target: TargetSnapshot,
  inputs: GateInputs,
  startedAt: Date,
): Promise<AbsenceStep> {
  const { profile } = req;
  const keep = !req.dryRun;
  const candidates = absentCandidates(source, target);
  if (candidates.length === 0) {
    if (keep) await deps.absences.record(profile.id, new Map(), startedAt.toISOString(), true);
    return NOTHING;
  }
  // no one is created here: the first-run guard holds only a profile that manages no one, who has no absences
  const planned = { disables: candidates.length, creates: 0 };
  if (!preflight(source, target, inputs, profile.sync.safety, planned, profile.sync.adoptExisting).ok)
    return { ...NOTHING, unconfirmed: candidates.length };
  const known = await deps.absences.absences(profile.id);
  const confirmed = await confirmAbsences(
    deps.dingtalk,
    candidates.map((m) => m.userid),
    (deptId) => source.departments.has(deptId),
    {
      leaveSince: leaveSince(
        inputs,
        candidates.map((m) => known.get(m.userid)?.since),
        startedAt,
      ),
      signal: deps.signal,
    },
  );
  const seen = new Map<string, SeenAbsence>();
  for (const m of candidates) {
    const c = confirmed.confirmations.get(m.userid);
    if (c !== undefined) seen.set(m.userid, { kind: c.kind, pdsUserId: m.pdsUserId, name: m.nickName ?? '' });
  }
  const records = await deps.absences.record(profile.id, seen, startedAt.toISOString(), keep);
  const graceMs = profile.sync.safety.absenceGraceHours * HOUR_MS;
  const verdicts = new Map<string, AbsenceVerdict>();
  const inGrace: InGrace[] = [];
  for (const [userid, c] of confirmed.confirmations) {
    const r = records.get(userid);
    if (r === undefined) continue;
    const v = verdictOf(c, r, graceMs, startedAt);
    verdicts.set(userid, v);
    if (v.kind === 'grace') inGrace.push({ userid, pdsUserId: r.pdsUserId, since: v.since, until: v.until });
  }
  const failed = confirmed.leaveRecordsFailed;
  return {
    verdicts,
    unconfirmed: 0,
    inGrace,
    warnings:
      failed === undefined
        ? []
        : [warning('leave_records_unreadable', { code: failed.code, permission: failed.permission ?? '' })],
  };
}

/** What a confirmation leads to at `now`: an unexplained absence waits out its grace. */
function verdictOf(c: Confirmation, r: AbsenceRecord, graceMs: number, now: Date): AbsenceVerdict {
  switch (c.kind) {
    case 'left':
      return { kind: 'disable', reason: 'left', since: r.since, leaveReason: c.leaveReason };
    case 'out_of_scope':
    case 'moved_out':
      return { kind: 'disable', reason: c.kind, since: r.since };
    case 'missed':
      return { kind: 'missed', deptId: c.deptId };
    case 'unexplained': {
      const until = new Date(Date.parse(r.since) + graceMs);
      return now.getTime() >= until.getTime()
        ? { kind: 'disable', reason: 'unexplained', since: r.since }
        : { kind: 'grace', since: r.since, until: until.toISOString() };
    }
  }
}

/**
 * Where the leave records are read from: an hour before the last complete run started, or
 * before the oldest absence still being confirmed (a person held back for days left before
 * the last run), else DingTalk's whole look-back.
 */
function leaveSince(inputs: GateInputs, since: readonly (string | undefined)[], now: Date): Date {
  const times = [inputs.lastComplete?.at, ...since]
    .filter((t): t is string => t !== undefined)
    .map((t) => Date.parse(t))
    .filter((t) => Number.isFinite(t));
  if (times.length === 0) return new Date(now.getTime() - LEAVE_LOOKBACK_MS);
  return new Date(Math.min(...times) - LEAVE_MARGIN_MS);
}

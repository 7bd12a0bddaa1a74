import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { applyConcurrency, applyPlan } from '../apply/apply.js';
import type { LinkJournal } from '../apply/context.js';
import { ApplyOutcome } from '../apply/outcome.js';
import type { Profile } from '../config/schema.js';
import { applyBreaker, riskyChanges, riskyKey } from '../gate/breaker.js';
import {
  checkOverlap,
  checkScopeChange,
  checkSourceDrop,
  type ManagedIdentity,
  type PreflightResult,
} from '../gate/preflight.js';
import type { CallStats } from '../infra/call-stats.js';
import type { Logger } from '../infra/logger.js';
import type { PdsApi } from '../pds/types.js';
import { desiredUser } from '../plan/desired.js';
import { plan, usersNeedingLinks } from '../plan/plan.js';
import type { Plan, PlanOptions } from '../plan/types.js';
import { recordPlannedChanges } from '../report/planned-changes.js';
import { plannedCounts } from '../report/planned-counts.js';
import { problem, ProblemError } from '../report/problem.js';
import { noticeWarnings, permissionWarnings, warning, wouldHoldWarning } from '../report/warnings.js';
import { personFinder } from '../report/people.js';
import { finishReport, newReport, summaryLine } from '../report/report.js';
import {
  APPLIED_COUNTS,
  type AppliedCounts,
  type Person,
  type PlannedCounts,
  type Recovery,
  type Reentry,
  type RunReport,
  type RunTrigger,
} from '../report/types.js';
import type { SnapshotProgress, SourceUserListener } from '../source/build-snapshot.js';
import type { SourceSnapshot } from '../source/snapshot.js';
import type { EarlierAttempts, RunHistory } from '../state/history.js';
import type { SnapshotState } from '../state/snapshot-state.js';
import { lookupDingOwners } from '../target/adoption.js';
import { buildTargetSnapshot, readLinks } from '../target/build.js';
import { UD } from '../target/markers.js';
import type { TargetSnapshot } from '../target/snapshot.js';
import { LinkPrefetch } from './link-prefetch.js';
import { ProgressTracker, type RunProgress } from './progress.js';
import { failureOf } from './run-error.js';

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
}

export type { RunPhase, RunProgress } from './progress.js';

export interface EngineDeps {
  /** Reads the complete source snapshot, or throws: no partial picture ever comes back. */
  readonly readSource: (
    signal: AbortSignal | undefined,
    onUser?: SourceUserListener,
    onProgress?: (p: SnapshotProgress) => void,
  ) => Promise<SourceSnapshot>;
  readonly pds: PdsApi;
  readonly snapshots: SnapshotState;
  readonly history: RunHistory;
  readonly log: Logger;
  readonly stats: { readonly dingtalk: CallStats; readonly pds: CallStats };
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: (p: RunProgress) => void;
  readonly now?: () => Date;
}

function planOptions(profile: Profile, now: Date): PlanOptions {
  const s = profile.sync;
  return {
    profileId: profile.id,
    syncPhone: s.syncPhone,
    syncEmail: s.syncEmail,
    emailField: s.emailField,
    dingIdentity: s.dingIdentity,
    adoptExisting: s.adoptExisting,
    now: now.toISOString(),
  };
}

/** Reads what must be read beyond the snapshots: ding owners for adoption, then links. */
async function completeTarget(
  req: RunRequest,
  deps: EngineDeps,
  source: SourceSnapshot,
  target: TargetSnapshot,
  o: PlanOptions,
  timing: { planMs: number; linksReadMs: number; linksAfterPlan: number },
): Promise<{ target: TargetSnapshot; plan: Plan }> {
  let t = target;
  if (o.adoptExisting === 'ding') {
    const identities = [...source.users.values()]
      .filter((u) => !t.managed.has(u.userid))
      .map((u) => desiredUser(u, source.fields, o).dingIdentity)
      .filter((x): x is string => x !== undefined);
    t = { ...t, dingOwners: await lookupDingOwners(deps.pds, identities, { signal: deps.signal }) };
  }
  let start = performance.now();
  let p = plan(source, t, o);
  timing.planMs += performance.now() - start;
  const linkUsers = new Set(usersNeedingLinks(p));
  const managedIds = new Set([...t.managed.values()].map((m) => m.pdsUserId));
  for (const id of await deps.snapshots.pendingLinks(req.profile.id))
    if (managedIds.has(id)) linkUsers.add(id);
  if (req.deep)
    for (const u of source.users.values()) {
      const m = t.managed.get(u.userid);
      if (m !== undefined) linkUsers.add(m.pdsUserId);
    }
  for (const id of t.links.keys()) linkUsers.delete(id); // read during the walk
  if (linkUsers.size === 0) return { target: t, plan: p };
  const linksStart = performance.now();
  const more = await readLinks(deps.pds, linkUsers, { signal: deps.signal });
  timing.linksAfterPlan = more.size;
  t = { ...t, links: new Map([...t.links, ...more]) };
  timing.linksReadMs = performance.now() - linksStart;
  start = performance.now();
  p = plan(source, t, o);
  timing.planMs += performance.now() - start;
  return { target: t, plan: p };
}

/**
 * One sync run of one profile: source snapshot → target snapshot → plan() → safety gates →
 * apply → report. Always returns a report (status `failed` with the cause on error); no write
 * is made before both snapshots are complete.
 */
export async function runSync(req: RunRequest, deps: EngineDeps): Promise<RunReport> {
  const now = deps.now ?? (() => new Date());
  if (deps.signal !== undefined) setMaxListeners(0, deps.signal); // every request in flight listens to it
  const report = newReport(req, now());
  const log = deps.log.child({ runId: req.runId, profileId: req.profile.id });
  const timing = { planMs: 0, readMs: 0, linksReadMs: 0, applyMs: 0, linksDuringWalk: 0, linksAfterPlan: 0 };
  const t0 = performance.now();
  const progress = new ProgressTracker(deps.onProgress);
  try {
    progress.phase('source');
    const { source, target: read } = await readBothSides(req, deps, progress);
    timing.readMs = performance.now() - t0;
    timing.linksDuringWalk = read.links.size;
    report.source.users = source.users.size;
    report.source.departments = source.departments.size;
    report.warnings.push(...permissionWarnings(source, req.profile));
    progress.phase('plan');
    const o = planOptions(req.profile, now());
    const { target, plan: p } = await completeTarget(req, deps, source, read, o, timing);
    await decideAndApply(req, deps, { source, target, plan: p }, report, log, timing, progress);
  } catch (err) {
    report.status = 'failed';
    report.error = failureOf(err);
  }
  finishReport(report, now(), deps.stats, timing.planMs);
  report.timings = {
    read: Math.round(timing.readMs),
    linksRead: Math.round(timing.linksReadMs),
    plan: Math.round(timing.planMs),
    apply: Math.round(timing.applyMs),
    total: Math.round(performance.now() - t0),
  };
  report.linkReads = { duringWalk: timing.linksDuringWalk, afterPlan: timing.linksAfterPlan };
  if (report.status === 'held' && !req.dryRun) {
    const superseded = await deps.history.setHeld(req.profile.id, req.runId);
    if (superseded !== undefined) report.warnings.push(warning('hold_superseded', { runId: superseded }));
  }
  await deps.history.save(report);
  log.info(
    {
      status: report.status,
      counts: report.counts,
      source: report.source,
      planMs: report.planMs,
      error: report.error,
    },
    summaryLine(report),
  );
  progress.phase('done');
  return report;
}

/**
 * Reads DingTalk and PDS at the same time (they are limited separately); if either fails the
 * other is cancelled and the run fails before any write. The links of users the run will surely
 * change are read during the walk (LinkPrefetch).
 */
async function readBothSides(
  req: RunRequest,
  deps: EngineDeps,
  progress: ProgressTracker,
): Promise<{ source: SourceSnapshot; target: TargetSnapshot }> {
  const both = new AbortController();
  const signal = deps.signal === undefined ? both.signal : AbortSignal.any([deps.signal, both.signal]);
  setMaxListeners(0, signal); // every request in flight listens to it
  const cancelOnError = <T>(p: Promise<T>) =>
    p.catch((err: unknown) => {
      both.abort(err);
      throw err;
    });
  const prefetch = new LinkPrefetch(
    deps.pds,
    planOptions(req.profile, (deps.now ?? (() => new Date()))()),
    signal,
  );
  let targetRead = false;
  const [source, target] = await Promise.all([
    cancelOnError(
      deps
        .readSource(signal, prefetch.onUser, (p) => progress.dingtalk(p))
        .then((s) => {
          if (!targetRead) progress.phase('target'); // DingTalk is read; PDS is still being read
          return s;
        }),
    ),
    cancelOnError(
      buildTargetSnapshot(deps.pds, req.profile.id, { signal, onUsers: (n) => progress.pdsUsers(n) }).then(
        (t) => {
          targetRead = true;
          prefetch.targetReady(t);
          return t;
        },
      ),
    ),
  ]);
  return { source, target: { ...target, links: await prefetch.links() } };
}

interface Snapshots {
  readonly source: SourceSnapshot;
  readonly target: TargetSnapshot;
  readonly plan: Plan;
}

async function approvedKeys(
  deps: EngineDeps,
  req: RunRequest,
): Promise<{ keys: Set<string>; report: RunReport } | undefined> {
  if (req.approvedRunId === undefined) return undefined;
  const approved = await deps.history.get(req.approvedRunId);
  if (approved?.held === undefined)
    throw new ProblemError(problem('approval_not_held', { runId: req.approvedRunId }));
  return { keys: new Set(approved.held.changes.map(riskyKey)), report: approved };
}

async function decideAndApply(
  req: RunRequest,
  deps: EngineDeps,
  s: Snapshots,
  report: RunReport,
  log: Logger,
  timing: { applyMs: number },
  progress: ProgressTracker,
): Promise<void> {
  const { profile } = req;
  const safety = profile.sync.safety;
  const counts = { users: s.source.users.size, departments: s.source.departments.size };
  const approved = await approvedKeys(deps, req);
  const person = personFinder(s.source, s.target);
  const withPerson = <T extends { userid: string }>(x: T): T & { person: Person } => ({
    ...x,
    person: person(x.userid),
  });
  const lastScope = await deps.snapshots.lastScope(profile.id);
  const baseline = (await deps.snapshots.lastComplete(profile.id, s.source.scopeKey)) ?? {
    kind: 'managedEnabled' as const,
    users: s.plan.managedEnabled,
  };
  const pre = firstHold(
    () => checkSourceDrop(counts, baseline, safety.maxSourceDropPercent),
    () => checkOverlap(managedIdentities(s.target), sourceUnionid(s.source), safety.minOverlapPercent),
    () =>
      safety.holdOnScopeChange
        ? checkScopeChange(
            lastScope,
            s.source.scopeKey,
            s.plan.users.filter((a) => a.kind === 'disable').length,
          )
        : { ok: true },
  );
  // an approval of a pre-flight hold accepts that drop, not a bigger one
  const preApproved =
    approved?.report.held?.by === 'preflight' &&
    counts.users >= approved.report.source.users &&
    counts.departments >= approved.report.source.departments;
  // the run's record: counts, the first changes and failures inline, all of them in the log
  const attempt = req.attempt ?? 1;
  const outcome = new ApplyOutcome(deps.history.changeLog(req.runId, { attempt, keepEarlier: !req.dryRun }));
  const earlier: EarlierAttempts = req.dryRun
    ? { applied: new Map<number, AppliedCounts>(), firstPlanned: undefined }
    : await deps.history.earlierAttempts(req.runId, attempt);
  const stopFlushing = outcome.flushEvery(RECORD_FLUSH_MS);
  try {
    await decide();
  } finally {
    stopFlushing();
    await outcome.flush();
    mergeOutcome(report, outcome, person);
    const recovered = recoveryOf(attempt, earlier, report.planned);
    if (recovered !== undefined) {
      for (const k of APPLIED_COUNTS) report.counts[k] += recovered.earlier[k];
      report.changesTruncated = true; // the inline list holds this attempt's; the log has them all
      report.recovered = recovered;
    }
  }
  if (report.status !== 'held' && report.status !== 'failed' && !req.dryRun) {
    report.status = report.failures.length > 0 ? 'succeeded_with_errors' : 'succeeded';
  }

  async function decide(): Promise<void> {
    fillPlanCounts(report, s.plan, outcome);
    report.planned = plannedCounts(s.plan);
    report.reentries = await reentriesOf(deps, req, s, person, report.startedAt);
    if (!pre.ok && !preApproved) {
      const risky = riskyChanges(s.plan);
      report.status = 'held';
      report.heldReason = pre.reason;
      const named = risky.map(withPerson);
      report.held = { changes: named, notApproved: named, wholeRun: true, by: 'preflight', code: pre.code };
      recordPlannedChanges(s.plan, (c) => outcome.change(c));
      return;
    }
    const gate = applyBreaker(s.plan, safety, approved?.keys);
    if (gate.held.length > 0) {
      report.heldReason = gate.heldReason;
      report.held = {
        changes: gate.held.map(withPerson),
        notApproved: gate.notApproved.map(withPerson),
        wholeRun: gate.holdAll,
        by: 'breaker',
        code: 'disable_limit',
      };
    }
    if (req.dryRun) {
      recordPlannedChanges(s.plan, (c) => outcome.change(c));
      report.status = 'succeeded';
      if (gate.heldReason !== undefined) report.warnings.push(wouldHoldWarning(gate.heldReason));
      return;
    }
    await deps.history.recordPlanned(req.runId, attempt, report.planned);
    const applyStart = performance.now();
    if (!gate.holdAll) {
      const total = gate.apply.users.length;
      const applyProgress = (done: number) => {
        const c = outcome.counts;
        progress.apply({
          done,
          total,
          applied: { created: c.created, updated: c.updated, disabled: c.disabled, failed: c.failed },
        });
      };
      progress.phase('apply');
      applyProgress(0);
      let done = 0;
      await applyPlan(
        {
          pds: deps.pds,
          profileId: profile.id,
          signal: deps.signal,
          concurrency: applyConcurrency(profile.pds.qps),
          log,
          journal: deps.snapshots.journal(profile.id) satisfies LinkJournal,
          outcome,
          onRecord: () => applyProgress(++done),
        },
        gate.apply,
        s.target,
      );
    }
    timing.applyMs = performance.now() - applyStart;
    report.status = gate.held.length > 0 ? 'held' : 'succeeded';
    if (!gate.holdAll)
      await deps.snapshots.recordComplete(profile.id, s.source.scopeKey, counts, report.startedAt);
  }
}

/** Reports carry the first this many re-entered people; the count has them all. */
const REENTRIES_CAP = 1000;

/** The people back in scope awaiting an admin, with when a run first saw each (kept by real runs). */
async function reentriesOf(
  deps: EngineDeps,
  req: RunRequest,
  s: Snapshots,
  person: (userid: string) => Person,
  at: string,
): Promise<Reentry[]> {
  const back = s.plan.notices.filter((n) => n.kind === 'reentered' && n.userid !== undefined);
  const since = await deps.snapshots.reentrySince(
    req.profile.id,
    back.map((n) => n.userid ?? ''),
    at,
    !req.dryRun,
  );
  return back.slice(0, REENTRIES_CAP).map((n) => {
    const userid = n.userid ?? '';
    return { ...person(userid), pdsUserId: n.pdsUserId ?? '', since: since.get(userid) ?? '' };
  });
}

/**
 * How often an applying run stores its record (change log and counts): what a kill -9 can
 * leave uncounted. Shorter costs more small Redis writes; safe to change.
 */
const RECORD_FLUSH_MS = 500;

/**
 * What earlier attempts of this run wrote. Their stored counts are a floor (a kill -9 loses
 * what came after the last store); the first attempt's plan minus this attempt's plan is what
 * they did in all, when the organisation did not change in between. The larger of the two.
 */
function recoveryOf(
  attempt: number,
  earlier: EarlierAttempts,
  plannedNow: PlannedCounts | undefined,
): Recovery | undefined {
  if (earlier.applied.size === 0 && earlier.firstPlanned === undefined) return undefined;
  const sum = Object.fromEntries(APPLIED_COUNTS.map((k) => [k, 0])) as AppliedCounts;
  for (const counts of earlier.applied.values()) for (const k of APPLIED_COUNTS) sum[k] += counts[k];
  const first = earlier.firstPlanned;
  if (first !== undefined && plannedNow !== undefined)
    for (const k of APPLIED_COUNTS) sum[k] = Math.max(sum[k], first.counts[k] - plannedNow[k]);
  if (Object.values(sum).every((x) => x === 0)) return undefined;
  const attempts = new Set([...earlier.applied.keys(), ...(first === undefined ? [] : [first.attempt])]);
  return { attempt, fromAttempts: [...attempts].sort((a, b) => a - b), earlier: sum };
}

/** The first pre-flight that holds, else ok. */
function firstHold(...checks: (() => PreflightResult)[]): PreflightResult {
  for (const check of checks) {
    const r = check();
    if (!r.ok) return r;
  }
  return { ok: true };
}

function managedIdentities(t: TargetSnapshot): ManagedIdentity[] {
  return [...t.managed.values()].map((m) => ({
    userid: m.userid,
    unionid: m.userData[UD.unionid],
    enabled: m.status === 'enabled',
  }));
}

/** A source user's unionid by userid; null when the userid is not in the snapshot. */
const sourceUnionid =
  (source: SourceSnapshot) =>
  (userid: string): string | undefined | null => {
    const u = source.users.get(userid);
    return u === undefined ? null : u.unionid;
  };

/** Warnings a report carries inline. */
const WARNINGS_CAP = 200;

/** Counts known from the plan alone (notices, planned failures, unchanged). */
function fillPlanCounts(report: RunReport, p: Plan, outcome: ApplyOutcome): void {
  const c = report.counts;
  c.unchanged = p.unchanged;
  c.unmanagedSkipped = p.unmanagedSkipped;
  c.reentered = p.notices.filter((n) => n.kind === 'reentered').length;
  c.keptEnabledByAdmin = p.notices.filter((n) => n.kind === 'keptEnabledByAdmin').length;
  for (const f of p.failures) {
    outcome.fail({
      dingtalkUserId: f.userid,
      pdsUserId: f.pdsUserId,
      action: f.action,
      code: f.code,
      reason: f.reason,
    });
  }
  report.warnings.push(...noticeWarnings(p.notices, WARNINGS_CAP));
}

function mergeOutcome(report: RunReport, outcome: ApplyOutcome, person: (userid: string) => Person): void {
  const c = report.counts;
  const o = outcome.counts;
  c.created = o.created;
  c.updated = o.updated;
  c.disabled = o.disabled;
  c.adopted = o.adopted;
  c.groupsCreated = o.groupsCreated;
  c.groupsUpdated = o.groupsUpdated;
  c.membershipsAdded = o.membershipsAdded;
  c.membershipsRemoved = o.membershipsRemoved;
  c.linksAdded = o.linksAdded;
  c.linksRemoved = o.linksRemoved;
  c.failed = o.failed;
  c.membershipOnly = o.membershipOnly;
  report.failures.push(
    ...outcome.failures.map((f) =>
      f.dingtalkUserId === undefined ? f : { ...f, person: person(f.dingtalkUserId) },
    ),
  );
  report.changes.push(...outcome.changes);
  report.changesTruncated = outcome.changesTruncated;
  if (outcome.failuresTruncated) report.failuresTruncated = true;
}

import type { HeldSummary, RunSummary } from '../report/summary.js';
import type { RunHistory } from '../state/history.js';
import { enqueueApproval } from './enqueue.js';
import type { SyncQueue } from './queue.js';

/** The outcome of approving or rejecting a held run; the CLI and the web map it to their answers. */
export type HeldDecision =
  | { readonly kind: 'unknown_run' }
  | { readonly kind: 'not_held'; readonly why: string; readonly report: RunSummary }
  | { readonly kind: 'approved'; readonly approvalRunId: string; readonly report: RunSummary }
  | { readonly kind: 'rejected'; readonly report: RunSummary };

type Awaiting =
  | { readonly ok: true; readonly report: RunSummary; readonly held: HeldSummary }
  | { readonly ok: false; readonly decision: HeldDecision };

const WHOLE_RUN: HeldSummary = {
  wholeRun: true,
  by: 'breaker',
  total: 0,
  kinds: { disable: 0, clearPhone: 0, clearEmail: 0 },
  notApproved: 0,
};

async function awaiting(history: RunHistory, runId: string): Promise<Awaiting> {
  const report = await history.get(runId);
  if (report === undefined) return { ok: false, decision: { kind: 'unknown_run' } };
  const current = await history.heldRunId(report.profileId);
  const resolution = report.held?.resolution;
  if (report.status !== 'held' || resolution !== undefined || current !== runId) {
    const why = resolution !== undefined ? `already ${resolution.action}` : `status ${report.status}`;
    return { ok: false, decision: { kind: 'not_held', why, report } };
  }
  return { ok: true, report, held: report.held ?? WHOLE_RUN };
}

/**
 * Approves a held run: a new run (trigger `approval`) re-reads both sides and applies the fresh
 * plan if its risky changes were approved. `actor` is recorded on the held run and the new one.
 */
export async function approveHeld(
  queue: SyncQueue,
  history: RunHistory,
  runId: string,
  actor: string,
  fingerprintOf: (profileId: string) => string | undefined = () => undefined,
): Promise<HeldDecision> {
  const a = await awaiting(history, runId);
  if (!a.ok) return a.decision;
  const run = await enqueueApproval(
    queue,
    a.report.profileId,
    runId,
    actor,
    fingerprintOf(a.report.profileId),
  );
  const next = await history.setStatus(runId, 'held', {
    held: {
      ...a.held,
      resolution: { action: 'approved', at: new Date().toISOString(), approvalRunId: run.runId },
    },
    actors: { ...a.report.actors, approvedBy: actor },
  });
  await history.clearHeld(a.report.profileId, runId);
  return { kind: 'approved', approvalRunId: run.runId, report: next ?? a.report };
}

/** Rejects a held run: nothing of it is applied. */
export async function rejectHeld(history: RunHistory, runId: string, actor: string): Promise<HeldDecision> {
  const a = await awaiting(history, runId);
  if (!a.ok) return a.decision;
  const next = await history.setStatus(runId, 'rejected', {
    held: { ...a.held, resolution: { action: 'rejected', at: new Date().toISOString() } },
    actors: { ...a.report.actors, rejectedBy: actor },
  });
  await history.clearHeld(a.report.profileId, runId);
  return { kind: 'rejected', report: next ?? a.report };
}

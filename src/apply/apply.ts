import pLimit from 'p-limit';
import type { Plan } from '../plan/types.js';
import type { TargetSnapshot } from '../target/snapshot.js';
import type { ApplyContext } from './context.js';
import { createGroups, GroupDirectory, renameGroups } from './groups.js';
import { applyUser, hasLinkWork } from './users.js';

/**
 * Applies a (gated) plan: groups parent-first and every user record concurrently, under the
 * shared PDS pacing. Idempotent: a retried write whose first attempt landed is recognised.
 * One failing record never aborts the run; it is recorded with its reason.
 */
export async function applyPlan(ctx: ApplyContext, p: Plan, target: TargetSnapshot): Promise<void> {
  const directory = new GroupDirectory([...target.groups].map(([deptId, g]) => [deptId, g.groupId]));
  await ctx.journal.add(p.users.filter(hasLinkWork).map((a) => a.pdsUserId));
  const limit = pLimit(ctx.concurrency);
  try {
    // groups are created as soon as their parent exists; a user waits only for its own groups
    await Promise.all([
      createGroups(ctx, p.groups, directory),
      renameGroups(ctx, p.groups),
      ...p.users.map((a) => limit(() => applyUser(ctx, a, directory))),
    ]);
  } catch (err) {
    limit.clearQueue(); // run-fatal: start nothing more
    throw err;
  }
}

/** Records in flight: enough to keep the PDS limit busy across HTTP latency. */
export function applyConcurrency(pdsQps: number): number {
  return Math.max(8, Math.min(128, Math.ceil(pdsQps / 8)));
}

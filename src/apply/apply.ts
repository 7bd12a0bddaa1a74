import { mapInLane } from '../pacing/lane.js';
import type { Plan } from '../plan/types.js';
import type { TargetSnapshot } from '../pds-snapshot/snapshot.js';
import type { ApplyContext } from './context.js';
import { createGroups, GroupDirectory, renameGroups } from './groups.js';
import { applyUnlinksFirst } from './link-order.js';
import { applyUser, hasLinkWork } from './users.js';

/**
 * Applies a (gated) plan: the unlinks of identities the run also links, then groups
 * parent-first and every user record concurrently, under the shared PDS pacing. Idempotent: a
 * retried write whose first attempt landed is recognised. One failing record never aborts the
 * run; it is recorded with its reason.
 */
export async function applyPlan(ctx: ApplyContext, p: Plan, target: TargetSnapshot): Promise<void> {
  const directory = new GroupDirectory([...target.groups].map(([deptId, g]) => [deptId, g.groupId]));
  await ctx.journal.add(p.users.filter(hasLinkWork).map((a) => a.pdsUserId));
  // groups are created as soon as their parent exists; a user waits only for its own groups.
  // Records are pulled lazily: no promise per record is made before its turn. Each record's
  // calls listen on a signal of its own (src/pacing/lane.ts).
  try {
    // an identity unlinked and linked in one run is unlinked first (see link-order.ts)
    const first = await applyUnlinksFirst(ctx, p.users);
    const users = first.failed.size === 0 ? p.users : p.users.filter((a) => !first.failed.has(a));
    const then = { ...ctx, unlinkedFirst: first.unlinked };
    await Promise.all([
      createGroups(ctx, p.groups, directory),
      renameGroups(ctx, p.groups),
      mapInLane(users, ctx, (a, signal) => applyUser({ ...then, signal }, a, directory)),
    ]);
  } catch (err) {
    // The run's own failure is the news; done marks that do not reach Redis only cost the
    // next run a link read of those users.
    await ctx.journal.flush().catch(() => undefined);
    throw err;
  }
  await ctx.journal.flush();
}

/**
 * Records in flight: enough to keep the PDS limit busy across HTTP latency (qps / 8 covers 125 ms
 * of it). Trades memory and the burst of answers on the worker's thread for throughput; the pacer
 * keeps the rate either way, so any value from 8 to 128 is safe.
 */
export function applyConcurrency(pdsQps: number): number {
  return Math.max(8, Math.min(128, Math.ceil(pdsQps / 8)));
}

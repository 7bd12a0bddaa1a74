import pLimit from 'p-limit';
import { RemoteError } from '../infra/remote-error.js';
import type { GroupAction } from '../plan/types.js';
import { groupDescription, parseGroupMarker } from '../target/markers.js';
import type { ApplyContext } from './context.js';
import { codeOf, isRunFatal, reasonOf } from './failure-reason.js';

type CreateGroup = Extract<GroupAction, { kind: 'createGroup' }>;

/**
 * A group create that failed for a transient cause may still have landed (PDS assigns group
 * ids, so a blind retry could duplicate it): look for its marker before calling it failed.
 */
async function findLanded(ctx: ApplyContext, deptIds: ReadonlySet<number>): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for await (const page of ctx.pds.listGroups(ctx.signal)) {
    for (const g of page) {
      const m = parseGroupMarker(g.description);
      if (m?.profileId === ctx.profileId && deptIds.has(m.deptId) && !found.has(m.deptId))
        found.set(m.deptId, g.group_id);
    }
  }
  return found;
}

async function createWave(
  ctx: ApplyContext,
  wave: readonly CreateGroup[],
  groupOfDept: Map<number, string>,
): Promise<void> {
  const limit = pLimit(ctx.concurrency);
  const uncertain = new Map<number, unknown>();
  await Promise.all(
    wave.map((a) =>
      limit(async () => {
        const base = { group_name: a.name, description: groupDescription(ctx.profileId, a.deptId) };
        const parent = a.parentDeptId === undefined ? undefined : groupOfDept.get(a.parentDeptId);
        try {
          const g = await ctx.pds.createGroup(
            parent === undefined ? { ...base, is_root: true } : { ...base, parent_group_id: parent },
            ctx.signal,
          );
          groupOfDept.set(a.deptId, g.group_id);
          ctx.outcome.counts.groupsCreated++;
          ctx.outcome.change({
            action: 'createGroup',
            deptId: a.deptId,
            groupId: g.group_id,
            fields: { group_name: [undefined, a.name] },
          });
        } catch (err) {
          if (isRunFatal(err, ctx.signal)) throw err;
          if (err instanceof RemoteError && err.permanent) {
            ctx.outcome.fail({
              dingtalkUserId: undefined,
              pdsUserId: undefined,
              action: 'createGroup',
              code: codeOf(err),
              reason: reasonOf(err, `group of department ${a.deptId}`),
            });
          } else uncertain.set(a.deptId, err);
        }
      }),
    ),
  );
  if (uncertain.size === 0) return;
  const landed = await findLanded(ctx, new Set(uncertain.keys()));
  for (const [deptId, err] of uncertain) {
    const groupId = landed.get(deptId);
    if (groupId !== undefined) {
      groupOfDept.set(deptId, groupId);
      ctx.outcome.counts.groupsCreated++;
      ctx.outcome.change({ action: 'createGroup', deptId, groupId });
    } else {
      ctx.outcome.fail({
        dingtalkUserId: undefined,
        pdsUserId: undefined,
        action: 'createGroup',
        code: codeOf(err),
        reason: reasonOf(err, `group of department ${deptId}`),
      });
    }
  }
}

/** Creates groups parent-first (each wave's parents exist), then renames. */
export async function applyGroups(
  ctx: ApplyContext,
  actions: readonly GroupAction[],
  groupOfDept: Map<number, string>,
): Promise<void> {
  let pending = actions.filter((a): a is CreateGroup => a.kind === 'createGroup');
  while (pending.length > 0) {
    const ready = pending.filter((a) => a.parentDeptId === undefined || groupOfDept.has(a.parentDeptId));
    const waiting = new Set(pending.map((a) => a.deptId));
    const blocked = pending.filter(
      (a) => !ready.includes(a) && (a.parentDeptId === undefined || !waiting.has(a.parentDeptId)),
    );
    for (const a of blocked) {
      ctx.outcome.fail({
        dingtalkUserId: undefined,
        pdsUserId: undefined,
        action: 'createGroup',
        code: 'ParentGroupMissing',
        reason: `group of department ${a.deptId} not created: the group of its parent department ${String(a.parentDeptId)} could not be created`,
      });
    }
    if (ready.length === 0) break;
    await createWave(ctx, ready, groupOfDept);
    pending = pending.filter((a) => !ready.includes(a) && !blocked.includes(a));
  }
  const limit = pLimit(ctx.concurrency);
  const renames = actions.filter(
    (a): a is Extract<GroupAction, { kind: 'renameGroup' }> => a.kind === 'renameGroup',
  );
  await Promise.all(
    renames.map((a) =>
      limit(async () => {
        try {
          await ctx.pds.updateGroup({ group_id: a.groupId, group_name: a.to }, ctx.signal);
          ctx.outcome.counts.groupsUpdated++;
          ctx.outcome.change({
            action: 'renameGroup',
            deptId: a.deptId,
            groupId: a.groupId,
            fields: { group_name: [a.from, a.to] },
          });
        } catch (err) {
          if (isRunFatal(err, ctx.signal)) throw err;
          ctx.outcome.fail({
            dingtalkUserId: undefined,
            pdsUserId: undefined,
            action: 'renameGroup',
            code: codeOf(err),
            reason: reasonOf(err, `rename group ${a.groupId}`),
          });
        }
      }),
    ),
  );
}

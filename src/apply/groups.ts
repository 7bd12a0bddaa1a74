import { RemoteError } from '../errors/remote-error.js';
import { Lane, mapInLane } from '../pacing/lane.js';
import type { GroupAction } from '../plan/types.js';
import { groupDescription, parseGroupMarker } from '../pds-snapshot/markers.js';
import { failureKindOf } from '../report/failure-kind.js';
import { groupChangeAction } from '../report/planned-changes.js';
import type { ChangeAction, FailureKind } from '../report/types.js';
import type { ApplyContext } from './context.js';
import { codeOf, isRunFatal, reasonOf } from './failure-reason.js';

type CreateGroup = Extract<GroupAction, { kind: 'createGroup' }>;
type RenameGroup = Extract<GroupAction, { kind: 'renameGroup' }>;

/**
 * The group of each department, as it becomes known: existing groups at once, new ones when
 * PDS has created them (undefined when that failed). Users wait only for their own groups.
 */
export class GroupDirectory {
  readonly #ready = new Map<number, Promise<string | undefined>>();

  constructor(existing: Iterable<[number, string]>) {
    for (const [deptId, groupId] of existing) this.#ready.set(deptId, Promise.resolve(groupId));
  }

  set(deptId: number, groupId: Promise<string | undefined>): void {
    this.#ready.set(deptId, groupId);
  }

  /** The group ids of these departments, once each is created (a failed one is left out). */
  async groupsOf(deptIds: readonly number[]): Promise<string[]> {
    const ids = await Promise.all(deptIds.map((d) => this.#ready.get(d) ?? Promise.resolve(undefined)));
    return ids.filter((g): g is string => g !== undefined);
  }
}

/**
 * A group create that failed for a transient cause may still have landed (PDS assigns group
 * ids, so a blind retry could duplicate it): look for its marker before calling it failed.
 */
async function findLanded(ctx: ApplyContext, deptId: number): Promise<string | undefined> {
  for await (const page of ctx.pds.listGroups(ctx.signal)) {
    for (const g of page) {
      const m = parseGroupMarker(g.description);
      if (m?.profileId === ctx.profileId && m.deptId === deptId) return g.group_id;
    }
  }
  return undefined;
}

function groupFailure(
  ctx: ApplyContext,
  action: ChangeAction,
  code: string,
  kind: FailureKind,
  reason: string,
): void {
  ctx.outcome.fail({ dingtalkUserId: undefined, pdsUserId: undefined, action, code, kind, reason });
}

/**
 * Attempts at one group create. A create that failed for a transient cause (a 5xx, a dropped
 * connection) is not retried blindly, since PDS assigns group ids and a blind retry could make
 * the group twice: the groups are listed first, and only a group the listing does not show is
 * created again. A create still running at PDS after our timeout could land after the listing;
 * the next run then sees two groups with the marker, uses the oldest and reports the other
 * (`duplicateGroup` notice), never deleting either. Safe to change: a group not made in these
 * attempts is made by the next run.
 */
const GROUP_CREATE_ATTEMPTS = 3;

async function createOne(
  ctx: ApplyContext,
  a: CreateGroup,
  parent: string | undefined,
): Promise<string | undefined> {
  const base = { group_name: a.name, description: groupDescription(ctx.profileId, a.deptId, ctx.locale) };
  for (let attempt = 1; ; attempt++) {
    try {
      const g = await ctx.pds.createGroup(
        parent === undefined ? { ...base, is_root: true } : { ...base, parent_group_id: parent },
        ctx.signal,
      );
      ctx.outcome.counts.groupsCreated++;
      ctx.outcome.change({
        action: groupChangeAction(a),
        groupId: g.group_id,
        fields: { group_name: [undefined, a.name] },
      });
      return g.group_id;
    } catch (err) {
      if (isRunFatal(err, ctx.signal)) throw err;
      const permanent = err instanceof RemoteError && err.permanent;
      const landed = permanent ? undefined : await findLanded(ctx, a.deptId);
      if (landed !== undefined) {
        ctx.outcome.counts.groupsCreated++;
        ctx.outcome.change({ action: groupChangeAction(a), groupId: landed });
        return landed;
      }
      if (permanent || attempt >= GROUP_CREATE_ATTEMPTS) {
        groupFailure(
          ctx,
          groupChangeAction(a),
          codeOf(err),
          failureKindOf(err),
          reasonOf(err, `group of department ${a.deptId}`),
        );
        return undefined;
      }
    }
  }
}

/**
 * Starts creating the planned groups, each as soon as its parent exists (no level-by-level
 * barrier), and registers them in the directory. Resolves when all are settled.
 */
export function createGroups(
  ctx: ApplyContext,
  actions: readonly GroupAction[],
  directory: GroupDirectory,
): Promise<void> {
  const lane = new Lane(ctx.signal, ctx.concurrency);
  const creates = actions.filter((a): a is CreateGroup => a.kind === 'createGroup');
  const pending = new Map<number, Promise<string | undefined>>();
  // parent-first order: a parent's promise exists before its children are scheduled
  for (const a of creates) {
    const parentReady =
      a.parentDeptId === undefined
        ? Promise.resolve(undefined)
        : (pending.get(a.parentDeptId) ?? directory.groupsOf([a.parentDeptId]).then((g) => g[0]));
    const created = parentReady.then((parent) => {
      if (a.parentDeptId !== undefined && parent === undefined) {
        groupFailure(
          ctx,
          groupChangeAction(a),
          'ParentGroupMissing',
          'remote_error',
          `group of department ${a.deptId} not created: the group of its parent department ${a.parentDeptId} could not be created`,
        );
        return undefined;
      }
      return lane.run((signal) => createOne({ ...ctx, signal }, a, parent));
    });
    pending.set(a.deptId, created);
    directory.set(
      a.deptId,
      created.catch(() => undefined),
    );
  }
  // every create asks the lane for its place once its parent exists: none is asked after these settle
  void Promise.allSettled(pending.values()).then(() => lane.close());
  return Promise.all(pending.values()).then(() => undefined);
}

/** Renames groups whose department was renamed. */
export async function renameGroups(ctx: ApplyContext, actions: readonly GroupAction[]): Promise<void> {
  const renames = actions.filter((a): a is RenameGroup => a.kind === 'renameGroup');
  await mapInLane(renames, ctx, async (a, signal) => {
    try {
      await ctx.pds.updateGroup({ group_id: a.groupId, group_name: a.to }, signal);
      ctx.outcome.counts.groupsUpdated++;
      ctx.outcome.change({
        action: groupChangeAction(a),
        groupId: a.groupId,
        fields: { group_name: [a.from, a.to] },
      });
    } catch (err) {
      if (isRunFatal(err, ctx.signal)) throw err;
      groupFailure(
        ctx,
        groupChangeAction(a),
        codeOf(err),
        failureKindOf(err),
        reasonOf(err, `rename group ${a.groupId}`),
      );
    }
  });
}

import { isAlreadyExist, isNotFound } from '../errors/pds-error.js';
import { RecordFailure } from '../errors/record-failure.js';
import { isMembershipOnly } from '../report/planned-counts.js';
import type { PdsUser, UpdateUserRequest } from '../pds/types.js';
import type { UserAction } from '../plan/types.js';
import { userChangeAction } from '../report/planned-changes.js';
import { managingProfile, UD } from '../pds-snapshot/markers.js';
import type { ApplyContext } from './context.js';
import type { GroupDirectory } from './groups.js';
import { failureKindOf } from '../report/failure-kind.js';
import { codeOf, isRunFatal, reasonOf } from './failure-reason.js';
import { applyLinks, removeLink } from './links.js';

type Create = Extract<UserAction, { kind: 'create' }>;
type Update = Extract<UserAction, { kind: 'update' }>;
type Retire = Extract<UserAction, { kind: 'retire' }>;

async function addMember(ctx: ApplyContext, groupId: string, userId: string): Promise<void> {
  try {
    await ctx.pds.addMember(groupId, 'user', userId, ctx.signal);
    ctx.outcome.counts.membershipsAdded++;
  } catch (err) {
    // already a member: a retried add whose first attempt landed
    if (!isAlreadyExist(err)) throw err;
  }
}

async function removeMember(ctx: ApplyContext, groupId: string, userId: string): Promise<void> {
  try {
    await ctx.pds.removeMember(groupId, 'user', userId, ctx.signal);
    ctx.outcome.counts.membershipsRemoved++;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * A create answered AlreadyExist is ours only if that user is managed by this profile for the
 * same DingTalk user (a retried create whose first attempt landed); then it is completed.
 */
async function reconcileExisting(ctx: ApplyContext, a: Create, groups: GroupDirectory): Promise<void> {
  const existing: PdsUser = await ctx.pds.getUser(a.pdsUserId, ctx.signal);
  const ours =
    managingProfile(existing.user_data) === ctx.profileId && existing.user_data?.[UD.userid] === a.userid;
  if (!ours) {
    throw new RecordFailure(
      'AlreadyExist.User',
      `user id ${a.pdsUserId} taken by a user this sync does not manage`,
      'user_id_taken',
      {},
    );
  }
  const update: { -readonly [K in keyof UpdateUserRequest]: UpdateUserRequest[K] } = { user_id: a.pdsUserId };
  if (a.fields.nick_name !== undefined && existing.nick_name !== a.fields.nick_name)
    update.nick_name = a.fields.nick_name;
  if (a.fields.phone !== undefined && existing.phone !== a.fields.phone) update.phone = a.fields.phone;
  if (a.fields.email !== undefined && existing.email !== a.fields.email) update.email = a.fields.email;
  if (Object.keys(update).length > 1) {
    await ctx.pds.updateUser(update, ctx.signal);
    ctx.outcome.counts.updated++;
  }
  for (const g of await groups.groupsOf(a.deptIds)) await addMember(ctx, g, a.pdsUserId);
}

async function applyCreate(ctx: ApplyContext, a: Create, groups: GroupDirectory): Promise<void> {
  try {
    await ctx.pds.createUser(
      {
        user_id: a.pdsUserId,
        ...a.fields,
        role: 'user',
        status: 'enabled',
        description: 'Synced from DingTalk by dingtalk-pds-sync',
        user_data: a.userData,
        group_info_list: (await groups.groupsOf(a.deptIds)).map((group_id) => ({ group_id })),
      },
      ctx.signal,
    );
  } catch (err) {
    if (!isAlreadyExist(err)) throw err;
    await reconcileExisting(ctx, a, groups);
  }
  ctx.outcome.counts.created++;
  ctx.outcome.change({
    action: { type: 'create' },
    dingtalkUserId: a.userid,
    pdsUserId: a.pdsUserId,
    fields: Object.fromEntries(Object.entries(a.fields).map(([k, v]) => [k, [undefined, v]])),
  });
  await applyLinks(ctx, a.pdsUserId, a.linkAdd, []);
}

async function applyUpdate(ctx: ApplyContext, a: Update, groups: GroupDirectory): Promise<void> {
  const req: UpdateUserRequest = {
    user_id: a.pdsUserId,
    ...a.fields,
    ...(a.userData === undefined ? {} : { user_data: a.userData }),
  };
  if (Object.keys(req).length > 1) {
    await ctx.pds.updateUser(req, ctx.signal);
    if (a.reason === 'adopted') ctx.outcome.counts.adopted++;
    else ctx.outcome.counts.updated++;
  }
  for (const g of a.removeGroupIds) await removeMember(ctx, g, a.pdsUserId);
  for (const g of await groups.groupsOf(a.addDeptIds)) await addMember(ctx, g, a.pdsUserId);
  await applyLinks(ctx, a.pdsUserId, a.linkAdd, a.linkRemove);
  ctx.outcome.change({
    action: userChangeAction(a),
    dingtalkUserId: a.userid,
    pdsUserId: a.pdsUserId,
    fields: a.changes,
  });
}

async function applyOne(ctx: ApplyContext, a: UserAction, groups: GroupDirectory): Promise<void> {
  switch (a.kind) {
    case 'create':
      return applyCreate(ctx, a, groups);
    case 'update':
      return applyUpdate(ctx, a, groups);
    case 'disable':
      // the phone login first: if it cannot go, the user stays enabled and the next run tries
      // both again (an unlink that finds nothing changes nothing)
      for (const l of a.linkRemove) await removeLink(ctx, a.pdsUserId, l);
      // status and the disable record in one write, so a crash cannot leave one without the other
      await ctx.pds.updateUser(
        { user_id: a.pdsUserId, status: 'disabled', user_data: a.userData },
        ctx.signal,
      );
      ctx.outcome.counts.disabled++;
      await ctx.disabled(a.pdsUserId);
      ctx.outcome.change({
        action: userChangeAction(a),
        dingtalkUserId: a.userid,
        pdsUserId: a.pdsUserId,
        fields: { status: ['enabled', 'disabled'] },
      });
      for (const g of a.removeGroupIds) await removeMember(ctx, g, a.pdsUserId);
      return;
    case 'retire':
      return applyRetire(ctx, a);
    case 'leaveGroups':
      for (const l of a.linkRemove) await removeLink(ctx, a.pdsUserId, l);
      for (const g of a.removeGroupIds) await removeMember(ctx, g, a.pdsUserId);
      return;
  }
}

/**
 * The retired marker is written last: it takes the account out of the managed set, so a run
 * killed before it retires the account again, and nothing after it would ever be retried.
 */
async function applyRetire(ctx: ApplyContext, a: Retire): Promise<void> {
  for (const l of a.linkRemove) await removeLink(ctx, a.pdsUserId, l);
  for (const g of a.removeGroupIds) await removeMember(ctx, g, a.pdsUserId);
  await ctx.pds.updateUser(
    { user_id: a.pdsUserId, user_data: a.userData, ...(a.disable ? { status: 'disabled' } : {}) },
    ctx.signal,
  );
  if (a.disable) ctx.outcome.counts.disabled++;
  else ctx.outcome.counts.updated++;
  ctx.outcome.change({
    action: { type: 'retire' },
    dingtalkUserId: a.userid,
    pdsUserId: a.pdsUserId,
    fields: a.disable ? { status: ['enabled', 'disabled'] } : {},
  });
}

const hasLinkWork = (a: UserAction) =>
  (a.kind === 'create' && a.linkAdd.length > 0) ||
  (a.kind === 'update' && (a.linkAdd.length > 0 || a.linkRemove.length > 0));

/** One user's writes; a failure is recorded and never aborts the run (unless it is run-fatal). */
export async function applyUser(ctx: ApplyContext, a: UserAction, groups: GroupDirectory): Promise<void> {
  try {
    await applyOne(ctx, a, groups);
    if (isMembershipOnly(a)) ctx.outcome.counts.membershipOnly++;
    // only a user whose writes all landed leaves the journal; a failed one stays pending,
    // so every later run reads its links and tries again until it succeeds
    if (hasLinkWork(a)) await ctx.journal.done([a.pdsUserId]);
  } catch (err) {
    failRecord(ctx, a, err);
  }
  ctx.onRecord?.();
}

/** Records a user's failed record with its reason; rethrows what ends the run instead. */
export function failRecord(ctx: ApplyContext, a: UserAction, err: unknown): void {
  if (isRunFatal(err, ctx.signal)) throw err;
  const action = userChangeAction(a);
  ctx.outcome.fail({
    dingtalkUserId: a.userid,
    pdsUserId: a.pdsUserId,
    action,
    code: err instanceof RecordFailure ? err.code : codeOf(err),
    kind: failureKindOf(err),
    ...(err instanceof RecordFailure ? { params: err.params } : {}),
    reason: err instanceof RecordFailure ? err.reason : reasonOf(err, `${action.type} ${a.pdsUserId}`),
  });
}

export { hasLinkWork };

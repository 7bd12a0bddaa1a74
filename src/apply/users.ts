import { isAlreadyExist, isNotFound } from '../errors/pds-error.js';
import { RecordFailure } from '../errors/record-failure.js';
import { isMembershipOnly } from '../report/planned-counts.js';
import type { PdsUser, UpdateUserRequest } from '../pds/types.js';
import type { LinkSpec, UserAction } from '../plan/types.js';
import { userChangeAction } from '../report/planned-changes.js';
import { managingProfile, UD } from '../pds-snapshot/markers.js';
import type { ApplyContext } from './context.js';
import type { GroupDirectory } from './groups.js';
import { failureKindOf } from '../report/failure-kind.js';
import { codeOf, isRunFatal, linkTakenReason, reasonOf } from './failure-reason.js';

type Create = Extract<UserAction, { kind: 'create' }>;
type Update = Extract<UserAction, { kind: 'update' }>;

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

async function addLink(ctx: ApplyContext, userId: string, l: LinkSpec): Promise<void> {
  try {
    await ctx.pds.link(
      {
        user_id: userId,
        type: l.type,
        identity: l.identity,
        ...(l.extra === undefined ? {} : { extra: l.extra }),
      },
      ctx.signal,
    );
    ctx.outcome.counts.linksAdded++;
  } catch (err) {
    if (!isAlreadyExist(err)) throw err;
    const owner = await ctx.pds
      .getLinkInfo(
        { type: l.type, identity: l.identity, ...(l.extra === undefined ? {} : { extra: l.extra }) },
        ctx.signal,
      )
      .then((i) => i.user_id)
      .catch(() => undefined);
    if (owner !== userId)
      throw new RecordFailure(
        codeOf(err),
        linkTakenReason(l.type, l.identity, owner),
        l.type === 'mobile' ? 'phone_taken' : 'ding_taken',
        owner === undefined ? {} : { owner },
      );
  }
}

async function removeLink(ctx: ApplyContext, userId: string, l: LinkSpec): Promise<void> {
  try {
    await ctx.pds.unlink(
      {
        user_id: userId,
        type: l.type,
        identity: l.identity,
        ...(l.extra === undefined ? {} : { extra: l.extra }),
      },
      ctx.signal,
    );
    ctx.outcome.counts.linksRemoved++;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

async function applyLinks(
  ctx: ApplyContext,
  userId: string,
  add: readonly LinkSpec[],
  remove: readonly LinkSpec[],
): Promise<void> {
  // unlink first: a phone moving between two of our users must be free before it is linked
  for (const l of remove) await removeLink(ctx, userId, l);
  for (const l of add) await addLink(ctx, userId, l);
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
      // status and the disable record in one write, so a crash cannot leave one without the other
      await ctx.pds.updateUser(
        { user_id: a.pdsUserId, status: 'disabled', user_data: a.userData },
        ctx.signal,
      );
      ctx.outcome.counts.disabled++;
      ctx.outcome.change({
        action: { type: 'disable' },
        dingtalkUserId: a.userid,
        pdsUserId: a.pdsUserId,
        fields: { status: ['enabled', 'disabled'] },
      });
      for (const g of a.removeGroupIds) await removeMember(ctx, g, a.pdsUserId);
      return;
    case 'leaveGroups':
      for (const g of a.removeGroupIds) await removeMember(ctx, g, a.pdsUserId);
      return;
  }
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
  ctx.onRecord?.();
}

export { hasLinkWork };

import { isAlreadyExist, isNotFound } from '../errors/pds-error.js';
import { RecordFailure } from '../errors/record-failure.js';
import type { LinkSpec } from '../plan/types.js';
import { unlinkKey, type ApplyContext } from './context.js';
import { codeOf, linkTakenReason } from './failure-reason.js';

/** A login link made; one already there for this user is a retried link whose first attempt landed. */
export async function addLink(ctx: ApplyContext, userId: string, l: LinkSpec): Promise<void> {
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

export async function removeLink(ctx: ApplyContext, userId: string, l: LinkSpec): Promise<void> {
  // made before any link of the run (apply/link-order.ts)
  if (ctx.unlinkedFirst?.has(unlinkKey(userId, l)) === true) return;
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

export async function applyLinks(
  ctx: ApplyContext,
  userId: string,
  add: readonly LinkSpec[],
  remove: readonly LinkSpec[],
): Promise<void> {
  // unlink first: a phone moving between two of our users must be free before it is linked
  for (const l of remove) await removeLink(ctx, userId, l);
  for (const l of add) await addLink(ctx, userId, l);
}

import type { Routes, SimContext } from './context.js';
import { alreadyExist, notFound } from './errors.js';
import { linkKey, type LinkRecord } from './state.js';
import type { JsonObject } from './types.js';
import { optString, reqEnum, reqString, type Body } from './validate.js';

const LINK_TYPES = ['mobile', 'email', 'ding', 'ram', 'wechat', 'ldap', 'custom'] as const;

function identityOf(body: Body) {
  return { type: reqEnum(body, 'type', LINK_TYPES), identity: reqString(body, 'identity', { max: 512 }) };
}

/** LinkInfo as the reference gives it; `status` "normal" is our guess (unconfirmed). */
function linkInfo(ctx: SimContext, link: LinkRecord): JsonObject {
  const user = ctx.state.users.get(link.user_id);
  const display = user?.nick_name ?? user?.user_name ?? link.user_id;
  return {
    authentication_type: link.type,
    identity: link.identity,
    extra: link.extra ?? '',
    user_id: link.user_id,
    domain_id: ctx.domainId,
    display_name: typeof display === 'string' ? display : link.user_id,
    status: 'normal',
    created_at: link.created_at,
  };
}

/**
 * Account links. One (type, identity) resolves to one user: linking it again is 409
 * `AlreadyExist.Account`, also to the same user (our reading: PDS stores the identity as a
 * unique account, whoever asks). `extra` (the country code of a mobile) is not part of the key.
 */
export function linkRoutes(ctx: SimContext): Routes {
  const { state } = ctx;
  return {
    '/v2/account/link': {
      write: true,
      handle: (body) => {
        const userId = reqString(body, 'user_id');
        const { type, identity } = identityOf(body);
        const extra = optString(body, 'extra', { max: 512 });
        if (!state.users.has(userId)) throw notFound('User', userId);
        if (state.links.has(linkKey(type, identity))) throw alreadyExist('Account', `${type}:${identity}`);
        state.addLink({ user_id: userId, type, identity, extra, created_at: ctx.now() });
        return {};
      },
    },
    '/v2/account/unlink': {
      write: true,
      handle: (body) => {
        const userId = reqString(body, 'user_id');
        const { type, identity } = identityOf(body);
        const link = state.links.get(linkKey(type, identity));
        if (link?.user_id !== userId) throw notFound('Account', `${type}:${identity} of ${userId}`);
        state.removeLink(link);
        return {};
      },
    },
    '/v2/account/get_link_info': {
      write: false,
      handle: (body) => {
        const { type, identity } = identityOf(body);
        const link = state.links.get(linkKey(type, identity));
        if (link === undefined) throw notFound('Account', `${type}:${identity}`);
        return linkInfo(ctx, link);
      },
    },
    '/v2/account/get_link_info_by_user_id': {
      write: false,
      handle: (body) => {
        const userId = reqString(body, 'user_id');
        if (!state.users.has(userId)) throw notFound('User', userId);
        return { items: state.linksOf(userId).map((l) => linkInfo(ctx, l)) };
      },
    },
  };
}

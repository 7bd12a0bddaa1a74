import type { ApiCall } from './core.js';
import { emptySchema, linkInfoListSchema, linkInfoSchema } from './schemas.js';
import type { PdsApi } from './types.js';

export const AccountPath = {
  link: '/v2/account/link',
  unlink: '/v2/account/unlink',
  getLinkInfo: '/v2/account/get_link_info',
  getLinkInfoByUserId: '/v2/account/get_link_info_by_user_id',
} as const;

export type AccountCalls = Pick<PdsApi, 'link' | 'unlink' | 'getLinkInfo' | 'getLinkInfoByUserId'>;

/** Account links: how a DingTalk (`ding`) or phone (`mobile`) login lands on a PDS user. */
export function accountCalls(call: ApiCall): AccountCalls {
  return {
    link: async (req, signal) => {
      await call(AccountPath.link, { ...req }, emptySchema, { write: true, signal });
    },

    unlink: async (req, signal) => {
      await call(AccountPath.unlink, { ...req }, emptySchema, { write: true, signal });
    },

    getLinkInfo: (req, signal) =>
      call(AccountPath.getLinkInfo, { ...req }, linkInfoSchema, { write: false, signal }),

    getLinkInfoByUserId: async (userId, signal) => {
      const body = { user_id: userId };
      const r = await call(AccountPath.getLinkInfoByUserId, body, linkInfoListSchema, {
        write: false,
        signal,
      });
      return r.items;
    },
  };
}

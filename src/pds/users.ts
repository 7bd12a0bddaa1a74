import type { ApiCall } from './core.js';
import { pageBody, walkPages } from './paging.js';
import { userPageSchema, userSchema } from './schemas.js';
import type { PdsApi } from './types.js';

export const UserPath = {
  create: '/v2/user/create',
  get: '/v2/user/get',
  update: '/v2/user/update',
  list: '/v2/user/list',
  search: '/v2/user/search',
} as const;

export type UserCalls = Pick<PdsApi, 'createUser' | 'getUser' | 'updateUser' | 'listUsers' | 'searchUsers'>;

/** The user calls of the sync. There is no delete: the sync disables, it never deletes. */
export function userCalls(call: ApiCall): UserCalls {
  return {
    createUser: (req, signal) => call(UserPath.create, { ...req }, userSchema, { write: true, signal }),

    getUser: (userId, signal) =>
      call(UserPath.get, { user_id: userId }, userSchema, { write: false, signal }),

    /** `user_data` replaces the whole map: send every key, including those others set. */
    updateUser: (req, signal) => call(UserPath.update, { ...req }, userSchema, { write: true, signal }),

    listUsers: (signal) =>
      walkPages(UserPath.list, async (marker) => {
        const r = await call(UserPath.list, pageBody(marker), userPageSchema, { write: false, signal });
        return { page: r.items, nextMarker: r.next_marker };
      }),

    searchUsers: (filter, signal) =>
      walkPages(UserPath.search, async (marker) => {
        const body = pageBody(marker, { ...filter });
        const r = await call(UserPath.search, body, userPageSchema, { write: false, signal });
        return { page: r.items, nextMarker: r.next_marker };
      }),
  };
}

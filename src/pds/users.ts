import type { ApiCall } from './core.js';
import { pageBody, walkPages } from './paging.js';
import { userPageSchema, userSchema } from './schemas.js';
import type { CreateUserRequest, PdsUser, SearchUsersFilter, UpdateUserRequest } from './types.js';

export const UserPath = {
  create: '/v2/user/create',
  get: '/v2/user/get',
  update: '/v2/user/update',
  list: '/v2/user/list',
  search: '/v2/user/search',
} as const;

/** The user calls of the sync. There is no delete: the sync disables, it never deletes. */
export class PdsUsers {
  constructor(private readonly call: ApiCall) {}

  create(req: CreateUserRequest, signal?: AbortSignal): Promise<PdsUser> {
    return this.call(UserPath.create, { ...req }, userSchema, { write: true, signal });
  }

  get(userId: string, signal?: AbortSignal): Promise<PdsUser> {
    return this.call(UserPath.get, { user_id: userId }, userSchema, { write: false, signal });
  }

  /** `user_data` replaces the whole map: send every key, including those others set. */
  update(req: UpdateUserRequest, signal?: AbortSignal): Promise<PdsUser> {
    return this.call(UserPath.update, { ...req }, userSchema, { write: true, signal });
  }

  list(signal?: AbortSignal): AsyncIterable<readonly PdsUser[]> {
    return walkPages(UserPath.list, async (marker) => {
      const r = await this.call(UserPath.list, pageBody(marker), userPageSchema, {
        write: false,
        signal,
      });
      return { page: r.items, nextMarker: r.next_marker };
    });
  }

  search(filter: SearchUsersFilter, signal?: AbortSignal): AsyncIterable<readonly PdsUser[]> {
    return walkPages(UserPath.search, async (marker) => {
      const body = pageBody(marker, { ...filter });
      const r = await this.call(UserPath.search, body, userPageSchema, { write: false, signal });
      return { page: r.items, nextMarker: r.next_marker };
    });
  }
}

import type { ApiCall } from './core.js';
import { emptySchema, linkInfoListSchema, linkInfoSchema } from './schemas.js';
import type { LinkInfo, LinkRequest, LinkType } from './types.js';

export const AccountPath = {
  link: '/v2/account/link',
  unlink: '/v2/account/unlink',
  getLinkInfo: '/v2/account/get_link_info',
  getLinkInfoByUserId: '/v2/account/get_link_info_by_user_id',
} as const;

/** Account links: how a DingTalk (`ding`) or phone (`mobile`) login lands on a PDS user. */
export class PdsAccounts {
  constructor(private readonly call: ApiCall) {}

  async link(req: LinkRequest, signal?: AbortSignal): Promise<void> {
    await this.call(AccountPath.link, { ...req }, emptySchema, { write: true, signal });
  }

  async unlink(req: LinkRequest, signal?: AbortSignal): Promise<void> {
    await this.call(AccountPath.unlink, { ...req }, emptySchema, { write: true, signal });
  }

  getLinkInfo(
    req: { type: LinkType; identity: string; extra?: string },
    signal?: AbortSignal,
  ): Promise<LinkInfo> {
    return this.call(AccountPath.getLinkInfo, { ...req }, linkInfoSchema, { write: false, signal });
  }

  async getLinkInfoByUserId(userId: string, signal?: AbortSignal): Promise<readonly LinkInfo[]> {
    const r = await this.call(AccountPath.getLinkInfoByUserId, { user_id: userId }, linkInfoListSchema, {
      write: false,
      signal,
    });
    return r.items;
  }
}

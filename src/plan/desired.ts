import type { FieldAccess, SourceFieldAccess, SourceUser } from '../source/snapshot.js';
import type { LinkSpec, PlanOptions } from './types.js';

/** A field value the sync may own: known (maybe absent), or unknown because it cannot be read. */
export type Known<T> = { readonly known: true; readonly value: T | undefined } | { readonly known: false };

const known = <T>(access: FieldAccess, enabled: boolean, value: T | undefined): Known<T> =>
  enabled && access === 'authorised' ? { known: true, value } : { known: false };

export interface DesiredUser {
  readonly nickName: string;
  readonly phone: Known<string>;
  readonly stateCode: string;
  readonly email: Known<string>;
  readonly dingIdentity: string | undefined;
}

/** What PDS should hold for a DingTalk user under this profile's switches and permissions. */
export function desiredUser(u: SourceUser, fields: SourceFieldAccess, o: PlanOptions): DesiredUser {
  const emailAccess = o.emailField === 'email' ? fields.email : fields.orgEmail;
  return {
    nickName: u.name.slice(0, 128),
    phone: known(fields.mobile, o.syncPhone, u.mobile),
    stateCode: u.stateCode ?? '86',
    email: known(emailAccess, o.syncEmail, o.emailField === 'email' ? u.email : u.orgEmail),
    dingIdentity: o.dingIdentity === 'unionid' ? u.unionid : u.userid,
  };
}

/** The links a user should have; only those of known fields. */
export function desiredLinks(d: DesiredUser): LinkSpec[] {
  const links: LinkSpec[] = [];
  if (d.dingIdentity !== undefined) links.push({ type: 'ding', identity: d.dingIdentity });
  if (d.phone.known && d.phone.value !== undefined) {
    links.push({ type: 'mobile', identity: d.phone.value, extra: d.stateCode });
  }
  return links;
}

export const sameLink = (a: LinkSpec, b: { type: string; identity: string }): boolean =>
  a.type === b.type && a.identity === b.identity;

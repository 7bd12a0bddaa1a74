import type { LinkInfo } from '../pds/types.js';
import type { SourceFieldAccess, SourceUser } from '../source/snapshot.js';
import { OWNED_FIELDS, UNKNOWN } from './owned-fields.js';
import type { LinkSpec, PlanOptions } from './types.js';

/** The identity of a user's `ding` link (DingTalk QR login), by `sync.dingIdentity`. */
export const dingIdentityOf = (u: SourceUser, o: PlanOptions): string | undefined =>
  o.dingIdentity === 'unionid' ? u.unionid : u.userid;

/** The links a user should have; only those of known fields. */
export function desiredLinks(u: SourceUser, a: SourceFieldAccess, o: PlanOptions): LinkSpec[] {
  const links: LinkSpec[] = [];
  const ding = dingIdentityOf(u, o);
  if (ding !== undefined) links.push({ type: 'ding', identity: ding });
  const phone = OWNED_FIELDS.phone.wanted(u, a, o);
  if (phone !== UNKNOWN && phone !== undefined) {
    links.push({ type: 'mobile', identity: phone, extra: u.stateCode ?? '86' });
  }
  return links;
}

/**
 * The phone login the sync made for a managed user it disables: its recorded phone's `mobile`
 * link, when the sync owns phones. The phone stays recorded, so re-entry restores the link; an
 * unlink of a link that is not there (or is another user's) changes nothing.
 */
export const leaverPhoneLogin = (phone: string | undefined, o: PlanOptions): LinkSpec[] =>
  o.syncPhone && phone !== undefined && phone !== '' ? [{ type: 'mobile', identity: phone }] : [];

export const sameLink = (a: LinkSpec, b: { type: string; identity: string }): boolean =>
  a.type === b.type && a.identity === b.identity;

/**
 * Link changes. With the user's links read: exact. With `syncPhone` on and the phone readable,
 * the sync owns the user's `mobile` links (any other number is drift and goes); of `ding`
 * links it owns only this person's own identities (the other form after a dingIdentity
 * switch). Without the links read: only what a phone change implies (apply is idempotent).
 */
export function linkDiff(
  u: SourceUser,
  a: SourceFieldAccess,
  o: PlanOptions,
  previousPhone: string | undefined,
  links: readonly LinkInfo[] | undefined,
): { add: LinkSpec[]; remove: LinkSpec[] } {
  const want = desiredLinks(u, a, o);
  const phone = OWNED_FIELDS.phone.wanted(u, a, o);
  if (links === undefined) {
    const phoneChanged = phone !== UNKNOWN && (previousPhone ?? '') !== (phone ?? '');
    if (!phoneChanged) return { add: [], remove: [] };
    return {
      add: want.filter((l) => l.type === 'mobile'),
      remove:
        previousPhone === undefined || previousPhone === ''
          ? []
          : [{ type: 'mobile', identity: previousPhone }],
    };
  }
  const ding = dingIdentityOf(u, o);
  const otherDing = o.dingIdentity === 'unionid' ? u.userid : u.unionid;
  const remove: LinkSpec[] = [];
  for (const x of links) {
    const stale =
      (x.authentication_type === 'mobile' && phone !== UNKNOWN && x.identity !== phone) ||
      (x.authentication_type === 'ding' && x.identity === otherDing && otherDing !== ding);
    if (stale) {
      remove.push({
        type: x.authentication_type,
        identity: x.identity,
        ...(x.extra === undefined ? {} : { extra: x.extra }),
      });
    }
  }
  const has = (l: LinkSpec) =>
    links.some((x) => sameLink(l, { type: x.authentication_type, identity: x.identity }));
  return { add: want.filter((l) => !has(l)), remove };
}

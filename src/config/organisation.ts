/** What naming a profile's organisation needs of it (a parsed profile, or a raw one mapped to this). */
export interface OrgMember {
  readonly id: string;
  readonly dingtalk: { readonly appKey: string; readonly corpId?: string | undefined };
}

/**
 * The organisation whose monthly quota a profile's calls spend: its `dingtalk.corpId`; else the
 * corpId another profile of the same DingTalk app names (an app belongs to one organisation);
 * else the appKey, since the sync's calls never reveal the corpId.
 */
export function organisationOf(profiles: readonly OrgMember[], profile: OrgMember): string {
  const own = profile.dingtalk.corpId;
  if (own !== undefined) return own;
  const sibling = profiles.find(
    (p) => p.dingtalk.appKey === profile.dingtalk.appKey && p.dingtalk.corpId !== undefined,
  );
  return sibling?.dingtalk.corpId ?? profile.dingtalk.appKey;
}

/** The organisations of a config, each with its profiles in config order. */
export function organisations<P extends OrgMember>(profiles: readonly P[]): Map<string, P[]> {
  const orgs = new Map<string, P[]>();
  for (const p of profiles) {
    const org = organisationOf(profiles, p);
    orgs.set(org, [...(orgs.get(org) ?? []), p]);
  }
  return orgs;
}

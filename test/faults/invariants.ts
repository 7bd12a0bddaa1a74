import type { Domain, Org } from '../../bench/independent-check.js';

/**
 * The rules every cell holds after every run, from the PDS simulator's state before and after
 * it and the DingTalk simulator's org. Written here on purpose: nothing of src/plan, src/pds-snapshot
 * or src/apply is used, so a mapping bug in the engine cannot hide itself.
 */
export interface InvariantInput {
  readonly org: Org;
  readonly before: Domain;
  readonly after: Domain;
  readonly seeded: Domain;
  readonly profileId: string;
}

type Json = Record<string, unknown>;

function userData(u: Json): Record<string, unknown> {
  const d = u.user_data;
  return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
}

export function invariantViolations(i: InvariantInput): string[] {
  const v: string[] = [];
  const people = new Set(i.org.users.map((u) => u.userid));
  const statusBefore = new Map(i.before.users.map((u) => [String(u.user_id), u.status]));

  // 0 wrongful disables: nobody still in the organisation goes from enabled to disabled
  for (const u of i.after.users) {
    const data = userData(u);
    const id = String(u.user_id);
    if (data.dtsync_profile !== i.profileId || !people.has(String(data.dingtalk_userid))) continue;
    if (u.status === 'disabled' && statusBefore.get(id) === 'enabled') v.push(`wrongful disable of ${id}`);
  }

  // 0 duplicates: one managed PDS user per DingTalk person
  const perPerson = new Map<string, number>();
  for (const u of i.after.users) {
    const data = userData(u);
    if (data.dtsync_profile !== i.profileId) continue;
    const who = String(data.dingtalk_userid);
    perPerson.set(who, (perPerson.get(who) ?? 0) + 1);
  }
  for (const [who, n] of perPerson) if (n > 1) v.push(`duplicate: ${n} managed users for ${who}`);

  // 0 deletes: every user and group there before is still there
  const usersAfter = new Set(i.after.users.map((u) => String(u.user_id)));
  for (const u of i.before.users)
    if (!usersAfter.has(String(u.user_id))) v.push(`user ${String(u.user_id)} deleted`);
  const groupsAfter = new Set(i.after.groups.map((g) => g.group_id));
  for (const g of i.before.groups) if (!groupsAfter.has(g.group_id)) v.push(`group ${g.group_id} deleted`);

  // 0 writes to unmanaged users, admins or hand-made groups: byte-identical, links included
  const users = new Map(i.after.users.map((u) => [String(u.user_id), JSON.stringify(u)]));
  for (const s of i.seeded.users)
    if (users.get(String(s.user_id)) !== JSON.stringify(s))
      v.push(`unmanaged user ${String(s.user_id)} written`);
  const groups = new Map(i.after.groups.map((g) => [g.group_id, JSON.stringify(g)]));
  for (const s of i.seeded.groups)
    if (groups.get(s.group_id) !== JSON.stringify(s)) v.push(`hand-made group ${s.group_id} written`);
  const seededIds = new Set(i.seeded.users.map((u) => String(u.user_id)));
  const linksOf = (d: Domain) =>
    JSON.stringify(
      d.links
        .filter((l) => seededIds.has(l.user_id))
        .map((l) => `${l.type}|${l.identity}|${l.user_id}`)
        .sort(),
    );
  if (linksOf(i.after) !== linksOf(i.seeded)) v.push('an unmanaged user’s login links changed');
  return v;
}

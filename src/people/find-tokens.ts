import type { PersonCard } from './types.js';

/**
 * The search entries of a card: its name (lower case, DingTalk's and the account's), its
 * DingTalk userid, and the last four digits of its phone (a masked phone shows them), each as
 * `<kind>:<value>\t<PDS user id>`, so one lex range finds a value's people.
 */
export function findTokens(card: PersonCard): string[] {
  const names = new Set([card.name, card.dingtalk?.name, card.pds.nickName].filter((n) => n !== undefined));
  const phones = [
    card.dingtalk?.mobile,
    ...(card.pds.links ?? []).filter((l) => l.type === 'mobile').map((l) => l.identity),
  ];
  const last4 = new Set(phones.flatMap((p) => (p !== undefined && /\d{4}$/.test(p) ? [p.slice(-4)] : [])));
  const tab = (v: string) => `${v}\t${card.pdsUserId}`;
  return [
    ...[...names].map((n) => tab(`n:${n.toLowerCase()}`)),
    tab(`u:${card.userid}`),
    ...[...last4].map((d) => tab(`p:${d}`)),
  ];
}

/** The lex-range prefixes a query looks up, most exact first. */
export function findPrefixes(query: string): string[] {
  const q = query.trim();
  if (q === '') return [];
  const out = [`u:${q}\t`, `n:${q.toLowerCase()}\t`];
  if (/^\d{4}$/.test(q)) out.push(`p:${q}\t`);
  // a name's beginning (Chinese names start with the family name)
  out.push(`n:${q.toLowerCase()}`);
  return out;
}

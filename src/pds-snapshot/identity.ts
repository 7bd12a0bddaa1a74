import { createHash } from 'node:crypto';

/** PDS `user_id` limits: at most 64 characters, no `#`. */
const MAX_USER_ID = 64;

/**
 * The PDS user_id of a user this sync creates: `dt_<userid>` when that fits PDS's rules, else
 * `dt_h_` + 40 hex of the userid's SHA-256. Deterministic, so a retried create is recognised
 * (409 on the same id), never duplicated.
 */
export function pdsUserIdFor(userid: string): string {
  const plain = `dt_${userid}`;
  if (plain.length <= MAX_USER_ID && !plain.includes('#')) return plain;
  return `dt_h_${createHash('sha256').update(userid, 'utf8').digest('hex').slice(0, 40)}`;
}

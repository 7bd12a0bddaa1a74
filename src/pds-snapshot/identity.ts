import { createHash } from 'node:crypto';

/** PDS `user_id` limits: at most 64 characters, no `#`. */
const MAX_USER_ID = 64;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Hex digits of the unionid's hash in a successor's id: 2^40 ids, for people of one userid. */
const SUCCESSOR_HASH = 10;

const fits = (id: string) => id.length <= MAX_USER_ID && !id.includes('#');

/**
 * The PDS user_id of a user this sync creates: `dt_<userid>` when that fits PDS's rules, else
 * `dt_h_` + 40 hex of the userid's SHA-256. Deterministic, so a retried create is recognised
 * (409 on the same id), never duplicated.
 *
 * With `unionid`: the id of a person who got a userid another person had (DingTalk reuses
 * userids): `dt_<userid>_` + 10 hex of the unionid's SHA-256, else `dt_u_` + 40 hex of both.
 * Distinct from the predecessor's, and as deterministic.
 */
export function pdsUserIdFor(userid: string, unionid?: string): string {
  if (unionid === undefined) {
    const plain = `dt_${userid}`;
    return fits(plain) ? plain : `dt_h_${sha256(userid).slice(0, 40)}`;
  }
  const successor = `dt_${userid}_${sha256(unionid).slice(0, SUCCESSOR_HASH)}`;
  return fits(successor) ? successor : `dt_u_${sha256(`${userid}\n${unionid}`).slice(0, 40)}`;
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Profile } from '../../src/config/schema.js';
import { parseGroupMarker } from '../../src/pds-snapshot/markers.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { UNCLEAN_DEPARTMENTS, UNCLEAN_USERS, uncleanOrg } from '../helpers/unclean-names.js';
import { wellFormed } from '../helpers/utf16.js';

/**
 * DingTalk names with an emoji at the 128 boundary, NUL, newline, tab, a right-to-left override,
 * zero-width characters only and an unpaired surrogate, synced into PDS twice: every check reads
 * the simulators' state and counters.
 */

let env: SimEnv;
let profile: Profile;

beforeAll(async () => {
  env = await startSims({ dingtalk: { org: uncleanOrg() }, name: 'names' });
  profile = env.profile();
});

afterAll(async () => {
  await env.close();
});

/** Every string the sync wrote into PDS users and groups. */
function writtenText(): string[] {
  const { users, groups } = env.pds.control.state();
  const ofUser = users.flatMap((u) => [
    typeof u.nick_name === 'string' ? u.nick_name : '',
    ...Object.values((u.user_data ?? {}) as Record<string, string>),
  ]);
  return [...ofUser, ...groups.flatMap((g) => [g.group_name, g.description])];
}

describe('names DingTalk hands out', () => {
  it('the first run writes them cleaned: valid UTF-16, at most 128 units, the id for an empty one', async () => {
    const report = await env.run(profile);
    expect(report.status).toBe('succeeded');
    const { users, groups } = env.pds.control.state();

    const nickOf = new Map(users.map((u) => [u.user_id, typeof u.nick_name === 'string' ? u.nick_name : '']));
    for (const [userid, [, clean]] of Object.entries(UNCLEAN_USERS)) {
      expect(nickOf.get(`dt_${userid}`)).toBe(clean);
    }
    const groupOf = new Map(groups.map((g) => [parseGroupMarker(g.description)?.deptId, g.group_name]));
    for (const [id, [, clean]] of Object.entries(UNCLEAN_DEPARTMENTS)) {
      expect(groupOf.get(Number(id))).toBe(clean);
    }

    const text = writtenText();
    expect(text.length).toBeGreaterThan(20);
    expect(text.filter((s) => !wellFormed(s))).toEqual([]);
    expect([...nickOf.values(), ...groupOf.values()].filter((s) => (s ?? '').length > 128)).toEqual([]);
  });

  it('a second run writes nothing: what PDS holds is what the run computes', async () => {
    env.pds.control.resetCounters();
    const report = await env.run(profile);
    expect(report.status).toBe('succeeded');
    expect(env.pds.control.counters().writes).toEqual({});
    expect(report.counts.unchanged).toBe(uncleanOrg().users.length);
  });
});

import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { DingTalkError } from '../../src/errors/dingtalk-error.js';
import { localEgressPause, RedisEgressPause, type EgressPause } from '../../src/pacing/egress-pause.js';
import { rejectionOf, startSimAndClient, type SimAndClient } from '../helpers/dingtalk-harness.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let open: SimAndClient[] = [];
afterEach(async () => {
  await Promise.all(open.map((o) => o.close()));
  open = [];
});
const redis = testRedis();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  await redis.quit();
});

/** The pause in this process, or the services' one in Redis (a fresh key each). */
const PAUSES: [string, (maxWaitSeconds: number) => EgressPause][] = [
  ['in process', (max) => localEgressPause(max)],
  [
    'in Redis',
    (max) => {
      const prefix = uniquePrefix('ban');
      prefixes.push(prefix);
      return new RedisEgressPause(redis, prefix, max);
    },
  ],
];

/** A simulator banning this client's address from its first call, and a client allowing `maxWait` s of pause. */
async function banned(
  ban: { seconds: number; form: 'json' | 'html'; status: 200 | 403; wait?: number },
  maxWaitSeconds: number,
  pause: (maxWaitSeconds: number) => EgressPause = (max) => localEgressPause(max),
): Promise<SimAndClient> {
  const s = await startSimAndClient({ faults: { ipBan: ban } }, { egress: pause(maxWaitSeconds) });
  open.push(s);
  return s;
}

describe("DingTalk's per-IP ban", () => {
  it.each([200, 403] as const)(
    'a {"status":1111,"wait":1} answer on HTTP %s is waited out, then the call goes through',
    async (status) => {
      const { sim, client, stats } = await banned({ seconds: 1, form: 'json', status }, 300);
      await expect(client.countUsers()).resolves.toBeGreaterThan(0);
      const until = sim.control.faults().ipBan?.until ?? 0;
      expect(until).toBeGreaterThan(0);
      // the token request met the ban, waited, and went out once more; the count after it
      expect(sim.control.counters().calls).toEqual({ '/gettoken': 2, '/topapi/user/count': 1 });
      expect(stats.outcomes()).toContainEqual({ path: '/gettoken', outcome: 'throttled', n: 1 });
      expect(Date.now()).toBeGreaterThanOrEqual(until);
    },
  );

  it.each([200, 403] as const)(
    'the HTML ban page on HTTP %s is a ban (of 300 s: it gives no wait), not a malformed answer',
    async (status) => {
      const { sim, client } = await banned({ seconds: 600, form: 'html', status }, 299);
      const err = (await rejectionOf(client.countUsers())) as DingTalkError;
      expect(err).toBeInstanceOf(DingTalkError);
      expect(err).toMatchObject({
        kind: 'ip_banned',
        code: 'ban_page',
        path: '/gettoken',
        permanent: false,
        httpStatus: status,
      });
      expect(err.message).toMatch(/paused 300 s in all, more than dingtalkBan\.maxWaitSeconds 299 s/);
      expect(sim.control.counters().calls).toEqual({ '/gettoken': 1 });
    },
  );

  it('a ban longer than dingtalkBan.maxWaitSeconds fails at once as ip_banned, not permanent (the job retries)', async () => {
    const { sim, client } = await banned({ seconds: 5, form: 'json', status: 200 }, 2);
    const err = (await rejectionOf(client.countUsers())) as DingTalkError;
    expect(err).toMatchObject({ kind: 'ip_banned', code: '1111', permanent: false, retryable: false });
    expect(err.message).toMatch(/paused 5 s in all, more than dingtalkBan\.maxWaitSeconds 2 s/);
    expect(sim.control.counters().calls).toEqual({ '/gettoken': 1 });
  });

  it.each(PAUSES)(
    'a ban answered again while it goes on is waited out again, its short waits one pause (%s)',
    async (_where, pause) => {
      const { sim, client } = await banned({ seconds: 2, form: 'json', status: 200, wait: 1 }, 300, pause);
      await expect(client.countUsers()).resolves.toBeGreaterThan(0);
      // banned, waited 1 s, banned again, waited 1 s, then the token
      expect(sim.control.counters().calls).toEqual({ '/gettoken': 3, '/topapi/user/count': 1 });
    },
  );

  it.each(PAUSES)(
    'the short waits of a ban that goes on add up: past dingtalkBan.maxWaitSeconds in all, ip_banned (%s)',
    async (_where, pause) => {
      const { sim, client } = await banned({ seconds: 6, form: 'json', status: 200, wait: 2 }, 3, pause);
      const err = (await rejectionOf(client.countUsers())) as DingTalkError;
      expect(err).toMatchObject({ kind: 'ip_banned', code: '1111' });
      // 2 s waited, then banned again: 4 s from the first answer, past the 3 s allowed
      expect(err.message).toMatch(/paused 4 s in all, more than dingtalkBan\.maxWaitSeconds 3 s/);
      expect(sim.control.counters().calls).toEqual({ '/gettoken': 2 });
    },
  );
});

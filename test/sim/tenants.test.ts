import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import { groupCompanyOrg } from '../../bench/tenants/group-org.js';
import { startDingTalkSimulatorHost, type DingTalkSimulatorHost } from '../../sim/dingtalk/host.js';
import { startPdsSimulatorHost, type PdsSimulatorHost } from '../../sim/pds/index.js';
import type { Profile } from '../../src/config/schema.js';
import { runSync } from '../../src/engine/run-sync.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import { createLogger } from '../../src/process/logger.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { CHECK } from '../helpers/check.js';
import { buildConfig } from '../helpers/profile.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';
import { testKeyPair } from '../helpers/sims.js';

/*
 * Many tenants on one simulator process each: two DingTalk apps (two group companies) on one
 * DingTalk host, three PDS domains on one PDS host, three profiles syncing one subsidiary each,
 * through the real engine, clients and Redis, every one reached by its own base URL.
 */

let dingtalk: DingTalkSimulatorHost;
let pds: PdsSimulatorHost;
let redis: Redis;
let prefix: string;
const groupA = groupCompanyOrg(1, 2, 30, 3);
const groupB = groupCompanyOrg(2, 1, 25, 3);
/** Profile → its app (index), subsidiary (index) and domain (index). */
const LAYOUT = [
  { id: 'a-1', app: 0, sub: 0, domain: 0 },
  { id: 'a-2', app: 0, sub: 1, domain: 1 },
  { id: 'b-1', app: 1, sub: 0, domain: 2 },
] as const;
const GROUPS = [groupA, groupB];

beforeAll(async () => {
  const kp = testKeyPair();
  dingtalk = await startDingTalkSimulatorHost({
    apps: [
      { appKey: 'ding-app-a', org: groupA.org, seed: 1 },
      { appKey: 'ding-app-b', org: groupB.org, seed: 2 },
    ],
  });
  pds = await startPdsSimulatorHost({
    domains: ['t1', 't2', 't3'].map((domainId) => ({ domainId, publicKey: kp.publicKeyPem })),
  });
  redis = testRedis();
  prefix = uniquePrefix('tenants');
});

afterAll(async () => {
  await dingtalk?.close();
  await pds?.close();
  if (redis !== undefined) {
    await dropPrefix(redis, prefix);
    await redis.quit();
  }
});

function profiles(): Profile[] {
  const kp = testKeyPair();
  return buildConfig({
    redis: { prefix },
    profiles: LAYOUT.map((l) => {
      const app = dingtalk.apps[l.app]!;
      const domain = pds.domains[l.domain]!;
      return {
        id: l.id,
        dingtalk: { appKey: app.appKey, appSecret: app.appSecret, oapiBaseUrl: app.url, apiBaseUrl: app.url },
        pds: {
          domainId: domain.domainId,
          baseUrl: domain.url,
          clientId: domain.clientId,
          privateKey: kp.privateKeyPem,
        },
        sync: {
          scope: {
            mode: 'departments',
            departmentIds: [GROUPS[l.app]!.subsidiaries[l.sub]!],
            includeSubDepartments: true,
          },
        },
      };
    }),
  }).profiles;
}

async function run(p: Profile, runId: string) {
  const engineFor = engineFactory({
    keepRuns: 10,
    redis,
    keys: new StateKeys(prefix),
    pacer: new RedisPacer(redis, prefix),
    egress: new RedisEgressPause(redis, prefix, 300),
    log: createLogger({ level: 'silent' }),
  });
  return runSync(
    { runId, trigger: 'manual', dryRun: false, deep: false, approvedRunId: undefined, profile: p },
    engineFor(p, new AbortController().signal, () => undefined),
  );
}

describe('many tenants on one simulator process each', () => {
  it('each profile syncs its own subsidiary into its own domain, correct by the independent check', async () => {
    const all = profiles();
    const reports = await Promise.all(all.map((p, i) => run(p, `tenants-${i}`)));
    expect(reports.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const [i, l] of LAYOUT.entries()) {
      const org = dingtalk.apps[l.app]!.control.org() as Org;
      const domain = pds.domains[l.domain]!.control.state() as Domain;
      const scope = { departmentIds: [GROUPS[l.app]!.subsidiaries[l.sub]!], includeSubDepartments: true };
      expect(checkDomain(org, domain, { ...CHECK, profileId: l.id, scope })).toEqual([]);
      // only the subsidiary's people: 30 or 25 managed users, none of the other subsidiary's
      const managed = domain.users.filter(
        (u) => (u.user_data as Record<string, string>).dtsync_profile === l.id,
      );
      expect(managed).toHaveLength(l.app === 0 ? 30 : 25);
      expect(reports[i]?.counts.created).toBe(managed.length);
    }
  }, 60_000);

  it("each app counts only its own profiles' calls, and each domain only its own", () => {
    const listCalls = (app: number) =>
      dingtalk.apps[app]!.control.counters().calls['/topapi/v2/user/list'] ?? 0;
    const departmentsOf = (app: number, sub: number) => {
      const org = dingtalk.apps[app]!.control.org();
      const root = GROUPS[app]!.subsidiaries[sub]!;
      // groupCompanyOrg numbers subsidiary k's departments k × 1,000,000 + its own ids
      return org.departments.filter((d) => d.dept_id >= root - 1 && d.dept_id < root - 1 + 1_000_000).length;
    };
    // one user/list page per department of each scope walked (every department has under 100 people)
    expect(listCalls(0)).toBe(departmentsOf(0, 0) + departmentsOf(0, 1));
    expect(listCalls(1)).toBe(departmentsOf(1, 0));
    const creates = pds.domains.map((d) => d.control.counters().writes['/v2/user/create'] ?? 0);
    expect(creates).toEqual([30, 30, 25]);
  });

  it("an app's token is refused by another app on the same host", async () => {
    const [a, b] = dingtalk.apps;
    const token = (await (
      await fetch(`${a!.url}/gettoken?appkey=${a!.appKey}&appsecret=${encodeURIComponent(a!.appSecret)}`)
    ).json()) as { access_token: string };
    const res = await fetch(`${b!.url}/topapi/user/count?access_token=${token.access_token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ only_active: false }),
    });
    expect(((await res.json()) as { errcode: number }).errcode).not.toBe(0);
    const own = await fetch(`${a!.url}/topapi/user/count?access_token=${token.access_token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ only_active: false }),
    });
    expect(await own.json()).toMatchObject({ errcode: 0, result: { count: 60 } });
  });
});

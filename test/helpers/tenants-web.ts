import { stringify } from 'yaml';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { buildReport } from '../../src/report/build-report.js';
import type { ProfileState } from '../../src/status/profile-states.js';
import { tempDir } from './files.js';
import { dropPrefix, testRedis, uniquePrefix } from './redis.js';
import { testKeyPair } from './sims.js';
import { startWebWith, WEB_PASSWORD, WEB_SECTION, WEB_TOKEN, type WebUnderTest } from './web.js';

/** `corp-0001` … : tenant ids of a realistic shape. */
export const tenantId = (i: number) => `corp-${String(i).padStart(4, '0')}`;

/**
 * The state the seeded console shows for tenant i (1-based), by its last digit: 0 never ran,
 * 1 failed, 2 held (awaiting approval), 3 running (a queued run), else succeeded.
 */
export function seededState(i: number): ProfileState {
  return (['never', 'failed', 'held', 'running'] as const)[i % 10] ?? 'succeeded';
}

export interface TenantsWeb {
  readonly web: WebUnderTest;
  readonly count: number;
  /** The config file and the variables its secrets come from, for the CLI on the same data. */
  readonly configPath: string;
  readonly vars: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/**
 * The web console of a deployment of `count` profiles (ten to a DingTalk app), whose run
 * history is written through the real RunHistory and queue (no worker, no remote: nothing
 * here calls DingTalk or PDS), each profile in the state `seededState` gives it.
 */
export async function startTenantsWeb(name: string, count: number): Promise<TenantsWeb> {
  const tmp = tempDir('dtsync-tenants-web-');
  const prefix = uniquePrefix(name);
  const keyFile = tmp.write('pds.pem', testKeyPair().privateKeyPem);
  const config = {
    redis: { prefix },
    web: WEB_SECTION,
    profiles: Array.from({ length: count }, (_, k) => ({
      id: tenantId(k + 1),
      dingtalk: { appKey: `app-${Math.floor(k / 10) + 1}`, appSecret: '${TENANT_APP_SECRET}' },
      pds: { domainId: `tenant${k + 1}`, clientId: 'c', privateKeyFile: keyFile },
      sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 2 } },
    })),
  };
  const path = tmp.write('dtsync.yaml', stringify(config));
  const vars = { TENANT_APP_SECRET: 's', TEST_WEB_PASSWORD: WEB_PASSWORD, TEST_WEB_TOKEN: WEB_TOKEN };
  const web = await startWebWith(path, vars);
  const at = new Date('2026-12-01T02:05:00Z');
  await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      const i = k + 1;
      const profileId = tenantId(i);
      const state = seededState(i);
      if (state === 'never') return;
      if (state === 'running') {
        await enqueueManual(web.queue, profileId, { dryRun: false, deep: false });
        return;
      }
      const runId = `${profileId}-r1`;
      const request = { runId, profileId, trigger: 'schedule', dryRun: false, deep: false } as const;
      const report = buildReport({ request, startedAt: at, finishedAt: at });
      await web.history.save({ ...report, status: state });
      if (state === 'held') await web.history.setHeld(profileId, runId);
    }),
  );
  return {
    web,
    count,
    configPath: path,
    vars,
    async close() {
      await web.close();
      const redis = testRedis();
      await dropPrefix(redis, prefix);
      redis.disconnect();
      tmp.cleanup();
    },
  };
}

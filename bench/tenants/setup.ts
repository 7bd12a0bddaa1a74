import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { BenchParams } from '../args.js';
import type { Domain } from '../independent-check.js';
import { favourSimulator, nodeProcess, type Proc } from '../procs.js';
import { BENCH_SAFETY, getJson, postJson, seedOf, stopAll } from '../setup.js';
import { placeOf, profileIdOf, type TenantApp, type TenantDomain } from './layout.js';

const SIM_HOST = fileURLToPath(new URL('./sim-host.ts', import.meta.url));

/** One profile of the tenants bench: its app, subsidiary and domain, and the domain's seeded objects. */
export interface Tenant {
  readonly profileId: string;
  readonly app: TenantApp;
  readonly scopeRoot: number;
  readonly domain: TenantDomain;
  readonly seeded: Domain;
}

export interface TenantsBench {
  readonly dir: string;
  readonly dingtalk: { readonly proc: Proc; readonly apps: readonly TenantApp[] };
  readonly pds: { readonly proc: Proc };
  readonly tenants: readonly Tenant[];
  readonly configPath: string;
  /** Env of the worker processes: each app's secret, by variable. */
  readonly workerEnv: NodeJS.ProcessEnv;
  readonly prefix: string;
  /** The hour (UTC) every profile is scheduled at. */
  readonly hour: number;
  stop(): Promise<void>;
}

/** The departments of one profile's subsidiary: one per 20 people, at most `--departments`. */
export const departmentsPerProfile = (p: BenchParams) =>
  Math.min(p.departments, Math.max(2, Math.ceil(p.users / 20)));

const secretVar = (app: number) => `BENCH_APP_SECRET_${app + 1}`;

/**
 * Starts the two simulator hosts (all apps in one process, all domains in another), seeds every
 * domain with hand-made objects, and writes the config of `--profiles` profiles: groups of
 * `--profiles-per-app` share a DingTalk app, each syncing its own subsidiary (a department
 * scope) into its own domain, all scheduled daily at one hour.
 */
export async function setUpTenants(
  p: BenchParams,
  redisUrl: string,
  hour: number,
  log: (s: string) => void,
): Promise<TenantsBench> {
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-tenants-'));
  const started: Proc[] = [];
  const apps = Math.ceil(p.profiles / p.profilesPerApp);
  try {
    const tsx = ['--import', 'tsx', SIM_HOST];
    const dt = nodeProcess(
      tsx,
      [
        '--dingtalk',
        ...['--apps', String(apps), '--subsidiaries', String(p.profilesPerApp)],
        ...['--users', String(p.users), '--departments', String(departmentsPerProfile(p))],
        ...['--seed', String(p.seed), '--qps', String(p.dingtalkQps)],
      ],
      {},
      /^\{"dingtalk"/,
    );
    started.push(dt.proc);
    favourSimulator(dt.proc.child.pid, log);
    const pds = nodeProcess(
      tsx,
      [
        '--pds',
        '--domains',
        String(p.profiles),
        '--pds-qps',
        String(p.pdsQps),
        '--key-dir',
        join(dir, 'keys'),
      ],
      {},
      /^\{"pds"/,
    );
    started.push(pds.proc);
    const dtInfo = (JSON.parse(await dt.ready) as { dingtalk: { apps: TenantApp[] } }).dingtalk;
    const pdsInfo = (
      JSON.parse(await pds.ready) as { pds: { domains: TenantDomain[]; privateKeyFile: string } }
    ).pds;
    log(
      `DingTalk host: ${dtInfo.apps.length} app(s) of ${p.profilesPerApp} subsidiaries × ${p.users} people; PDS host: ${pdsInfo.domains.length} domain(s)`,
    );
    const tenants: Tenant[] = [];
    for (const [i, domain] of pdsInfo.domains.entries()) {
      const place = placeOf(i + 1, p.profilesPerApp);
      const app = dtInfo.apps[place.app];
      const scopeRoot = app?.subsidiaries[place.sub];
      if (app === undefined || scopeRoot === undefined) throw new Error(`no subsidiary for profile ${i + 1}`);
      await postJson(`${domain.url}/_sim/state`, seedOf(i + 1));
      const seeded = await getJson<Domain>(`${domain.url}/_sim/state`);
      tenants.push({ profileId: profileIdOf(i + 1), app, scopeRoot, domain, seeded });
    }
    log(`${tenants.length} domains seeded with hand-made users, admins and a group`);
    const prefix = '{dtsync-bench}';
    const config = {
      redis: { url: redisUrl, prefix },
      worker: { shutdownTimeoutSeconds: 5 },
      scheduler: { spreadMinutes: p.spreadMinutes },
      history: { keepRuns: 20 },
      log: { level: 'warn' },
      profiles: tenants.map((t) => ({
        id: t.profileId,
        dingtalk: {
          appKey: t.app.appKey,
          appSecret: `\${${secretVar(dtInfo.apps.indexOf(t.app))}}`,
          oapiBaseUrl: t.app.url,
          apiBaseUrl: t.app.url,
          qps: p.dingtalkQps,
        },
        pds: {
          domainId: t.domain.domainId,
          baseUrl: t.domain.url,
          clientId: t.domain.clientId,
          privateKeyFile: pdsInfo.privateKeyFile,
          qps: p.pdsQps,
        },
        sync: {
          scope: { mode: 'departments', departmentIds: [t.scopeRoot], includeSubDepartments: true },
          schedule: { mode: 'auto', frequency: 'daily', hour, timezone: 'UTC' },
          safety: BENCH_SAFETY,
        },
      })),
    };
    const configPath = join(dir, 'tenants.yaml');
    // no anchors: the profiles share one safety object, and a thousand aliases to it trip
    // yaml's alias guard (maxAliasCount 100) when the config is read
    writeFileSync(configPath, stringify(config, { aliasDuplicateObjects: false }));
    return {
      dir,
      dingtalk: { proc: dt.proc, apps: dtInfo.apps },
      pds: { proc: pds.proc },
      tenants,
      configPath,
      workerEnv: Object.fromEntries(dtInfo.apps.map((a, i) => [secretVar(i), a.appSecret])),
      prefix,
      hour,
      stop: () => stopAll(started, dir),
    };
  } catch (err) {
    await stopAll(started, dir);
    throw err;
  }
}

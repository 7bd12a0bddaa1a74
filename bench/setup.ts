import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { stringify } from 'yaml';
import type { BenchParams } from './args.js';
import type { Domain } from './independent-check.js';
import { dtsync, favourSimulator, type Proc } from './procs.js';

/** Stops the processes a setup started and removes its directory: its end, and its failure's. */
export async function stopAll(started: readonly Proc[], dir: string): Promise<void> {
  await Promise.all(started.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}

export interface SimInfo {
  readonly url: string;
}

export interface Bench {
  readonly dir: string;
  readonly dingtalk: { proc: Proc; url: string; appKey: string; appSecret: string };
  readonly pds: {
    proc: Proc;
    url: string;
    domainId: string;
    clientId: string;
    privateKeyFile: string;
    seeded: Domain;
  }[];
  readonly configPath: string;
  readonly safety: Record<string, number | string>;
  readonly prefix: string;
  stop(): Promise<void>;
}

/**
 * The bench's control calls to the simulators. A fresh connection each: between phases the
 * bench computes for seconds, and a kept-alive socket the simulator closed meanwhile would fail
 * the next call ("other side closed").
 */
const control = got.extend({
  agent: { http: new HttpAgent({ keepAlive: false }) },
  retry: { limit: 0 },
  timeout: { request: 600_000 },
  throwHttpErrors: false,
  responseType: 'text',
});

function answer(what: string, res: { statusCode: number; body: string }): unknown {
  if (res.statusCode >= 300) throw new Error(`${what}: HTTP ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body);
}

export async function getJson<T>(url: string): Promise<T> {
  return answer(`GET ${url}`, await control.get(url)) as T;
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return answer(`POST ${url}`, await control.post(url, { json: body })) as T;
}

/** Hand-made users, admins and a group in each domain: the sync must leave them byte-identical. */
export function seedOf(i: number) {
  return {
    users: [
      {
        user_id: `hand-${i}-1`,
        nick_name: '手工用户',
        role: 'user',
        status: 'enabled',
        user_data: { owner: 'it' },
      },
      { user_id: `hand-${i}-2`, nick_name: 'Contractor', role: 'user', status: 'disabled' },
      { user_id: `admin-${i}`, nick_name: 'Admin', role: 'admin', status: 'enabled' },
      { user_id: `super-${i}`, nick_name: 'Super', role: 'superadmin', status: 'enabled' },
    ],
    groups: [
      {
        group_id: `hand-group-${i}`,
        group_name: '手工组',
        description: 'made by hand',
        is_root: true,
        parent_group_id: null,
      },
    ],
    links: [{ user_id: `hand-${i}-1`, type: 'mobile', identity: '19900000000', extra: '86' }],
  };
}

/** The bench's safety limits: generous enough that churn is never held (printed in the output). */
export const BENCH_SAFETY = {
  maxDisableCount: 1_000_000,
  maxDisablePercent: 50,
  maxSourceDropPercent: 50,
  holdMode: 'disables',
} as const;

/** Starts the simulators in their own processes, seeds PDS, and writes the workers' config. */
export async function setUp(p: BenchParams, redisUrl: string, log: (s: string) => void): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'dtsync-bench-'));
  const started: Proc[] = [];
  try {
    const dtArgs = [
      'simulate',
      '--dingtalk',
      '--json',
      '--users',
      String(p.users),
      '--departments',
      String(p.departments),
      '--seed',
      String(p.seed),
      '--qps',
      String(p.dingtalkQps),
    ];
    const dt = dtsync(dtArgs, {}, /^\{"dingtalk"/);
    started.push(dt.proc);
    favourSimulator(dt.proc.child.pid, log);
    const pdsSims = Array.from({ length: p.profiles }, (_, i) => {
      const args = [
        'simulate',
        '--pds',
        '--json',
        '--pds-qps',
        String(p.pdsQps),
        '--domain-id',
        `bench${i + 1}`,
        '--key-dir',
        join(dir, `keys${i + 1}`),
      ];
      const s = dtsync(args, {}, /^\{"pds"/);
      started.push(s.proc);
      return s;
    });
    const dtInfo = (
      JSON.parse(await dt.ready) as { dingtalk: { url: string; appKey: string; appSecret: string } }
    ).dingtalk;
    log(
      `DingTalk simulator ${dtInfo.url}: ${p.users} users, ${p.departments} departments, ${p.dingtalkQps} QPS per API`,
    );
    const pds = [];
    for (const [i, s] of pdsSims.entries()) {
      const info = (
        JSON.parse(await s.ready) as {
          pds: { url: string; domainId: string; clientId: string; privateKeyFile: string };
        }
      ).pds;
      await postJson(`${info.url}/_sim/state`, seedOf(i + 1));
      const seeded = await getJson<Domain>(`${info.url}/_sim/state`);
      pds.push({ proc: s.proc, ...info, seeded });
    }
    log(`${pds.length} PDS simulator(s) at ${p.pdsQps} QPS, seeded with hand-made users, admins and groups`);
    const prefix = '{dtsync-bench}';
    const config = {
      redis: { url: redisUrl, prefix },
      worker: { concurrency: Math.max(1, p.profiles), shutdownTimeoutSeconds: 5 },
      history: { keepRuns: 20 },
      log: { level: 'warn' },
      profiles: pds.map((d, i) => ({
        id: `bench${i + 1}`,
        dingtalk: {
          appKey: dtInfo.appKey,
          appSecret: '${BENCH_APP_SECRET}',
          oapiBaseUrl: dtInfo.url,
          apiBaseUrl: dtInfo.url,
          qps: p.dingtalkQps,
        },
        pds: {
          domainId: d.domainId,
          baseUrl: d.url,
          clientId: d.clientId,
          privateKeyFile: d.privateKeyFile,
          qps: p.pdsQps,
        },
        sync: { safety: BENCH_SAFETY },
      })),
    };
    const configPath = join(dir, 'bench.yaml');
    writeFileSync(configPath, stringify(config));
    return {
      dir,
      dingtalk: { proc: dt.proc, ...dtInfo },
      pds,
      configPath,
      safety: BENCH_SAFETY,
      prefix,
      stop: () => stopAll(started, dir),
    };
  } catch (err) {
    await stopAll(started, dir);
    throw err;
  }
}

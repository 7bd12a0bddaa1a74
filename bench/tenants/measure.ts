import { checkDomain, type Domain, type Org } from '../independent-check.js';
import { dingtalkTokenCalls, pdsDomainCounters, pdsMinimalWrites, type SimCounters } from '../metrics.js';
import type { BenchParams } from '../args.js';
import { getJson } from '../setup.js';
import {
  admittedCalls,
  appFloorSeconds,
  busiestBucket,
  domainFloorSeconds,
  quantile,
  scopedMinimalCalls,
} from './metrics.js';
import type { Replay } from './phase.js';
import type { TenantsBench } from './setup.js';

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const MINUTE_MS = 60_000;

interface Quantiles {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

const quantiles = (xs: readonly number[]): Quantiles => ({
  p50: round(quantile(xs, 0.5)),
  p95: round(quantile(xs, 0.95)),
  max: round(Math.max(0, ...xs)),
});

export interface TenantPhaseResult {
  /** The replayed hour (its slot keys), UTC. */
  readonly hourStart: string;
  readonly runs: number;
  readonly statuses: Record<string, number>;
  /** Slots enqueued by two schedulers: jobs made, and second enqueues that found the first's job. */
  readonly enqueues: { readonly jobs: number; readonly deduplicated: number };
  /** From the hour's start to the last run's end. */
  readonly wallSeconds: number;
  /** Lower bound: no run before its slot, each domain at its QPS, each app's busiest API at its QPS. */
  readonly floorSeconds: number;
  readonly ratioToFloor: number;
  /** The same bound with every profile starting at once: the rate floor of all calls. */
  readonly rateFloorSeconds: number;
  readonly starts: {
    readonly averagePerMinute: number;
    /** Busiest minute of the slots, from the slot maths. */
    readonly plannedBusiestMinute: number;
    /** Busiest minute of the runs' actual starts (report startedAt). */
    readonly busiestMinute: number;
    readonly lastSlotSeconds: number;
    /** Seconds from a run's slot to its start on a worker. */
    readonly lagSeconds: Quantiles;
  };
  /** Seconds from a run's start on a worker to its end: one profile's sync. */
  readonly runSeconds: Quantiles;
  readonly dingtalk: {
    readonly qps: number;
    readonly calls: number;
    readonly minimalCalls: number;
    readonly tokenCalls: number;
    readonly throttled: number;
    /** The busiest second of each app (its busiest API, any sliding second), as the simulator counted it. */
    readonly busiestSecondPerApp: Record<string, number>;
    readonly busiestAppSecond: number;
    readonly appsOverQps: number;
  };
  readonly pds: {
    readonly qps: number;
    readonly writes: number;
    readonly minimalWrites: number;
    readonly retriedWrites: number;
    readonly throttled: number;
    readonly busiestDomainSecond: number;
    readonly domainsOverQps: number;
  };
  readonly workerPeakRssMB: number;
  readonly simulatorPeakRssMB: number;
  readonly cpuSeconds: Replay['cpuSeconds'];
  readonly correct: boolean;
  readonly violations: readonly string[];
}

/** The simulators' counters, each run checked independently, and the phase's figures. */
export async function measurePhase(
  name: string,
  b: TenantsBench,
  p: BenchParams,
  r: Replay,
): Promise<TenantPhaseResult> {
  const appCounters = new Map<string, SimCounters>();
  const orgs = new Map<string, Org>();
  for (const a of b.dingtalk.apps) {
    appCounters.set(a.appKey, await getJson<SimCounters>(`${a.url}/_sim/counters`));
    orgs.set(a.appKey, await getJson<Org>(`${a.url}/_sim/org`));
  }
  const violations: string[] = [];
  const domains = [];
  let minimalCalls = 0;
  let busiestDomainSecond = 0;
  let domainsOverQps = 0;
  for (const t of b.tenants) {
    const c = await getJson<SimCounters>(`${t.domain.url}/_sim/counters`);
    const busiest = c.busiestSecond;
    busiestDomainSecond = Math.max(busiestDomainSecond, busiest);
    if (busiest > p.pdsQps) domainsOverQps++;
    domains.push({ tenant: t, counters: pdsDomainCounters(c) });
    const org = orgs.get(t.app.appKey) ?? { departments: [], users: [] };
    minimalCalls += scopedMinimalCalls(org, t.scopeRoot);
    const state = await getJson<Domain>(`${t.domain.url}/_sim/state`);
    const check = {
      profileId: t.profileId,
      syncPhone: true,
      syncEmail: true,
      emailField: 'email',
      dingIdentity: 'unionid',
      seeded: t.seeded,
      scope: { departmentIds: [t.scopeRoot], includeSubDepartments: true },
      maxViolations: 5,
    } as const;
    violations.push(...checkDomain(org, state, check).map((v) => `${name}/${t.profileId}: ${v}`));
    const deletes = (c.calls['/v2/user/delete'] ?? 0) + (c.calls['/v2/group/delete'] ?? 0);
    if (deletes > 0) violations.push(`${name}/${t.profileId}: ${deletes} delete calls`);
  }
  const reports = r.runs.flatMap((x) => (x.report === undefined ? [] : [x.report]));
  if (reports.length !== r.runs.length)
    violations.push(`${name}: ${r.runs.length - reports.length} run(s) left no report`);
  const statuses: Record<string, number> = {};
  for (const rep of reports) statuses[rep.status] = (statuses[rep.status] ?? 0) + 1;

  const busiestSecondPerApp: Record<string, number> = {};
  let tokenCalls = 0;
  let calls = 0;
  let throttled = 0;
  let appFloor = 0;
  let appFloorFromSlot = 0;
  for (const [appKey, c] of appCounters) {
    // DingTalk's limit is per app and API: an app's busiest API in its busiest second
    busiestSecondPerApp[appKey] = Math.max(0, ...Object.values(c.busiestSecondByPath));
    tokenCalls += dingtalkTokenCalls(c);
    calls += admittedCalls(c);
    throttled += Object.values(c.throttled).reduce((a, n) => a + n, 0);
    const floor = appFloorSeconds(c, p.dingtalkQps);
    const first = Math.min(
      ...r.runs.filter((x) => x.profile.dingtalk.appKey === appKey).map((x) => x.offsetMs),
    );
    appFloor = Math.max(appFloor, floor);
    appFloorFromSlot = Math.max(appFloorFromSlot, first / 1000 + floor);
  }
  const offsetOf = new Map(r.runs.map((x) => [x.profile.id, x.offsetMs]));
  const domainFloors = domains.map((x) => domainFloorSeconds(x.counters, p.pdsQps));
  const floorSeconds = Math.max(
    appFloorFromSlot,
    ...domains.map((x, i) => (offsetOf.get(x.tenant.profileId) ?? 0) / 1000 + (domainFloors[i] ?? 0)),
  );
  const rateFloorSeconds = Math.max(appFloor, ...domainFloors);
  const startedAt = reports.map((rep) => Date.parse(rep.startedAt));
  const lags = r.runs.flatMap((x) =>
    x.report === undefined ? [] : [(Date.parse(x.report.startedAt) - r.t0 - x.offsetMs) / 1000],
  );
  const wallSeconds = (r.end - r.t0) / 1000;
  const busiestApp = Math.max(0, ...Object.values(busiestSecondPerApp));
  const ok = (s: string) => s === 'succeeded';
  return {
    hourStart: r.hourStart.toISOString(),
    runs: r.runs.length,
    statuses,
    enqueues: {
      jobs: new Set(r.runs.map((x) => x.runId)).size,
      deduplicated: r.runs.filter((x) => x.deduplicated).length,
    },
    wallSeconds: round(wallSeconds),
    floorSeconds: round(floorSeconds),
    ratioToFloor: floorSeconds > 0 ? round(wallSeconds / floorSeconds, 3) : 0,
    rateFloorSeconds: round(rateFloorSeconds),
    starts: {
      averagePerMinute: round(r.runs.length / p.spreadMinutes, 1),
      plannedBusiestMinute: busiestBucket(
        r.runs.map((x) => x.offsetMs),
        0,
        MINUTE_MS,
      ),
      busiestMinute: busiestBucket(startedAt, r.t0, MINUTE_MS),
      lastSlotSeconds: round(Math.max(0, ...r.runs.map((x) => x.offsetMs)) / 1000),
      lagSeconds: quantiles(lags),
    },
    runSeconds: quantiles(
      reports.map((rep) => (Date.parse(rep.finishedAt) - Date.parse(rep.startedAt)) / 1000),
    ),
    dingtalk: {
      qps: p.dingtalkQps,
      calls,
      minimalCalls: minimalCalls + Math.min(tokenCalls, r.runs.length),
      tokenCalls,
      throttled,
      busiestSecondPerApp,
      busiestAppSecond: busiestApp,
      appsOverQps: Object.values(busiestSecondPerApp).filter((n) => n > p.dingtalkQps).length,
    },
    pds: {
      qps: p.pdsQps,
      writes: domains.reduce((a, x) => a + x.counters.writes, 0),
      minimalWrites: pdsMinimalWrites(reports),
      retriedWrites: domains.reduce((a, x) => a + x.counters.retriedWrites, 0),
      throttled: domains.reduce((a, x) => a + x.counters.throttled, 0),
      busiestDomainSecond,
      domainsOverQps,
    },
    workerPeakRssMB: r.workerPeakRssMB,
    simulatorPeakRssMB: r.simulatorPeakRssMB,
    cpuSeconds: {
      workers: round(r.cpuSeconds.workers),
      simulators: round(r.cpuSeconds.simulators),
      redis: round(r.cpuSeconds.redis),
    },
    correct: violations.length === 0 && reports.length > 0 && reports.every((rep) => ok(rep.status)),
    violations: violations.slice(0, 100),
  };
}

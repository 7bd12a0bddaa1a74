// `npm run soak -- --minutes M [--seed S] [--users N]`: random faults, one after another, against
// a churning org, with the fault matrix's checks after every run (see docs/reliability.md).
// Prints a summary (runs, faults by kind, violations, convergence times) and exits 1 on any
// violation. Seeded: the same seed draws the same faults and churn.
import { Command, InvalidArgumentError } from 'commander';
import { checkDomain } from '../../src/bench/independent-check.js';
import { startPrivateRedis } from '../../src/infra/private-redis.js';
import { mulberry32 } from '../../src/simulators/dingtalk/prng.js';
import { dropPrefix } from '../helpers/redis.js';
import { CHECK, Cell } from './cell.js';
import { FAST } from './engine.js';
import { cliSync, spawnWorker, waitFor, writeFaultConfig } from './procs.js';

const USER_LIST = '/topapi/v2/user/list';
const LIST_SUB = '/topapi/v2/department/listsub';

interface Fault {
  /** How the run under it may end. */
  readonly ends: readonly string[];
  /** The run fails before apply: it must not write. */
  readonly noWrite?: boolean;
  readonly inject: (c: Cell, rng: () => number) => unknown;
  /** The fault run itself, when it is not a plain in-process run. */
  readonly run?: (c: Cell) => Promise<{ status: string; failed: boolean }>;
}

const topOf = (c: Cell, rng: () => number) => {
  const tops = c.org().departments.filter((d) => d.parent_id === 1);
  return tops[Math.floor(rng() * tops.length)]?.dept_id ?? 1;
};

const ok = ['succeeded'];
const FAULTS: Readonly<Record<string, Fault>> = {
  'dingtalk 90018 burst': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'throttle', after: 3, count: 5, paths: [USER_LIST] },
      }),
  },
  'dingtalk 90002 ban': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'ban', after: 2, count: 3, paths: [LIST_SUB] } }),
  },
  'dingtalk -1 busy': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'busy', after: 2, count: 2, paths: [] } }),
  },
  'dingtalk -1 busy lasting': {
    ends: ['failed'],
    noWrite: true,
    inject: (c, rng) => c.env.dingtalk.control.setFaults({ failUserListDepts: [topOf(c, rng)] }),
  },
  'dingtalk 5xx': { ends: ok, inject: (c) => c.env.dingtalk.control.setFaults({ serverErrorRate: 0.1 }) },
  'dingtalk connection reset': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'reset', after: 3, count: 2, paths: [] } }),
  },
  'dingtalk stall past the timeout': {
    ends: ok,
    inject: (c) => {
      c.timing = { ...FAST, timeoutMs: 1500 };
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'stall', after: 2, count: 1, paths: [USER_LIST], stallMs: 3000 },
      });
    },
  },
  'dingtalk token expiry mid-walk': {
    ends: ok,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ burst: { kind: 'expireTokens', after: 4, count: 1, paths: [] } }),
  },
  'dingtalk 60011 mid-walk': {
    ends: ['failed'],
    noWrite: true,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({
        burst: { kind: 'permission', after: 4, count: 10_000, paths: [USER_LIST] },
      }),
  },
  'dingtalk malformed JSON': {
    ends: ['failed'],
    noWrite: true,
    inject: (c) =>
      c.env.dingtalk.control.setFaults({ malformedPaths: [USER_LIST], malformedKind: 'not_json' }),
  },
  'dingtalk mobile permission revoked': {
    ends: ok,
    inject: (c) => c.env.dingtalk.control.setFaults({ missingFieldPermissions: ['phone'] }),
  },
  'dingtalk app scope narrowed': {
    ends: ['held', 'succeeded'],
    inject: (c, rng) => c.env.dingtalk.control.setFaults({ authedDept: [topOf(c, rng)] }),
  },
  'pds 429 storm': {
    ends: ok,
    inject: (c) => {
      c.timing = { ...FAST, pdsRetry: { ...FAST.pdsRetry, throttleDelayMs: { min: 500, max: 1500 } } };
      c.env.pds.control.setFaults({ qps: 40 });
    },
  },
  'pds 5xx and gateway errors': {
    ends: ok,
    inject: (c, rng) =>
      c.env.pds.control.setFaults({
        errorRate: { rate: 0.05, status: 503, paths: null, seed: Math.floor(rng() * 1e6) },
        gatewayError: { count: 4, paths: null, status: 502 },
      }),
  },
  'pds lost response': {
    ends: ok,
    inject: (c) => c.env.pds.control.setFaults({ failAfterApply: { count: 6, paths: null } }),
  },
  'pds token expiry mid-apply': {
    ends: ok,
    inject: (c) => c.env.pds.control.setFaults({ expireTokensAfterWrites: { writes: 4 } }),
  },
  'pds malformed JSON on a read': {
    ends: ['failed'],
    noWrite: true,
    inject: (c) => c.env.pds.control.setFaults({ malformed: { count: 1, paths: ['/v2/user/list'] } }),
  },
  'pds validation error on one record': {
    ends: ['succeeded', 'succeeded_with_errors'],
    inject: (c) =>
      c.env.pds.control.setFaults({
        inject: {
          count: 1,
          paths: ['/v2/user/create', '/v2/user/update'],
          status: 400,
          code: 'InvalidParameter.NickName',
        },
      }),
  },
  'config scope narrowed by mistake': {
    ends: ['held'],
    noWrite: true,
    inject: () => undefined,
    run: async (c) => {
      const o = c.org();
      const tops = o.departments.filter((d) => d.parent_id === 1).map((d) => d.dept_id);
      const size = (id: number) => o.users.filter((u) => u.dept_id_list.includes(id)).length;
      const smallest = tops.sort((a, b) => size(a) - size(b))[0] ?? 1;
      const r = await c.run(
        c.env.profile({ sync: { scope: { mode: 'departments', departmentIds: [smallest] } } }),
      );
      return { status: r.status, failed: r.failures.length > 0 };
    },
  },
  'redis wiped': { ends: ok, inject: (c) => dropPrefix(c.env.redis, c.env.prefix) },
  'worker kill -9 in apply': {
    ends: ok,
    inject: () => undefined,
    run: async (c) => {
      for (let i = 0; i < 20; i++) c.env.dingtalk.control.mutate({ op: 'hire', dept_id_list: [1] });
      const url = process.env.REDIS_URL ?? '';
      const cfg = writeFaultConfig(c);
      c.env.pds.control.setFaults({ latencyMs: 25 });
      const a = spawnWorker(c, cfg, url, 'worker-a');
      const created = () => c.env.pds.control.counters().writes['/v2/user/create'] ?? 0;
      const c0 = created();
      const cli = cliSync(c, cfg, url);
      await waitFor(() => created() - c0 >= 3, 'the first creates', 120_000);
      a.proc.kill('SIGKILL');
      await a.exited;
      c.env.pds.control.setFaults({ latencyMs: 0 });
      const b = spawnWorker(c, cfg, url, 'worker-b');
      const out = await cli;
      b.proc.kill('SIGTERM');
      await b.exited;
      return { status: out.report?.status ?? `exit ${String(out.code)}`, failed: false };
    },
  },
};

const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number >= 0');
  return n;
};

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function main(): Promise<number> {
  const opts = new Command('soak')
    .description('random faults against a churning org, with the fault matrix checks after every run')
    .option('--minutes <m>', 'how long to run', num, 5)
    .option('--seed <s>', 'seed of the faults and the churn', num, 1)
    .option('--users <n>', 'employees', num, 300)
    .parse(['node', 'soak', ...process.argv.slice(2)])
    .opts<{ minutes: number; seed: number; users: number }>();
  const log = (s: string) => process.stderr.write(`[soak] ${s}\n`);
  const redis =
    process.env.REDIS_URL === undefined || process.env.REDIS_URL === ''
      ? await startPrivateRedis({ allowInstall: process.env.DTSYNC_NO_INSTALL !== '1', notify: log })
      : undefined;
  if (redis !== undefined) process.env.REDIS_URL = redis.url;
  const rng = mulberry32(opts.seed);
  const cell = await Cell.start('soak', opts.seed, { users: opts.users });
  const kinds = Object.keys(FAULTS);
  const byKind: Record<string, number> = {};
  const violations: string[] = [];
  const convergeMs: number[] = [];
  let runs = 0;
  const started = Date.now();
  const deadline = started + opts.minutes * 60_000;
  try {
    await cell.prepare();
    runs++;
    for (let step = 2; Date.now() < deadline; step++) {
      const kind = kinds[Math.floor(rng() * kinds.length)] ?? kinds[0] ?? '';
      const fault = FAULTS[kind];
      if (fault === undefined) continue;
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      cell.churn(step);
      if (rng() < 0.2) cell.env.dingtalk.control.mutate({ op: 'hire', user: { mobile: cell.newPhone() } });
      await fault.inject(cell, rng);
      const run = fault.run;
      const observed = await cell.observe(async () => {
        if (run !== undefined) return run(cell);
        const r = await cell.run();
        return { status: r.status, failed: r.failures.length > 0 };
      });
      runs++;
      const at = `step ${step} (${kind})`;
      for (const v of observed.violations) violations.push(`${at}: ${v}`);
      if (!fault.ends.includes(observed.result.status))
        violations.push(`${at}: ended ${observed.result.status}`);
      if (fault.noWrite === true && observed.writes > 0) violations.push(`${at}: ${observed.writes} writes`);
      const t0 = Date.now();
      const converge = await cell.converge();
      runs += 2;
      convergeMs.push(Date.now() - t0);
      for (const v of [...converge.violations, ...converge.nextViolations])
        violations.push(`${at}, converging: ${v}`);
      for (const v of converge.check) violations.push(`${at}, not converged: ${v}`);
      if (converge.nextWrites > 0)
        violations.push(`${at}: the run after convergence wrote ${converge.nextWrites}`);
      log(
        `${at}: ${observed.result.status}, ${observed.writes} writes; converged in ${convergeMs.at(-1) ?? 0} ms`,
      );
    }
  } finally {
    const summary = {
      seed: opts.seed,
      users: opts.users,
      minutes: Math.round((Date.now() - started) / 600) / 100,
      runs,
      faults: Object.values(byKind).reduce((a, b) => a + b, 0),
      faultsByKind: byKind,
      violations: violations.length,
      violationList: violations.slice(0, 50),
      // two runs each: the clean run that converges, and the one after it that must write nothing
      convergenceMs: {
        median: percentile(convergeMs, 50),
        p95: percentile(convergeMs, 95),
        max: Math.max(0, ...convergeMs),
      },
      finalCheck: checkDomain(cell.org(), cell.domain(), { ...CHECK, seeded: cell.seeded }).length,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    await cell.close();
    await redis?.stop();
    if (violations.length > 0) process.exitCode = 1;
  }
  return violations.length;
}

await main();

// `npm run soak -- --minutes M [--seed S] [--users N]`: random faults, one after another, against
// a churning org, with the fault matrix's checks after every run (see docs/reliability.md).
// Prints a summary (runs, faults by kind, violations, convergence times) and exits 1 on any
// violation. Seeded: the same seed draws the same faults and churn.
import { Command, InvalidArgumentError } from 'commander';
import { checkDomain } from '../../bench/independent-check.js';
import { startPrivateRedis } from '../../sim/redis/private-redis.js';
import { mulberry32 } from '../../sim/prng.js';
import { CHECK, Cell } from './cell.js';
import { FAULTS } from './soak-faults.js';

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

// `npm run bench:plan-adoption -- [n]`: the planning time of a first sync of `n` people into a
// domain of `n` unmanaged users (half of them the same people by email), with adoption by email
// against adoption off in the same process: the ratio is what adoption costs the planner. Median
// of 3 of each, alternately.
import type { SourceSnapshot } from '../src/source/snapshot.js';
import type { TargetSnapshot } from '../src/pds-snapshot/snapshot.js';
import { plan } from '../src/plan/plan.js';
import { buildSource, buildTarget, options, other, user } from '../test/helpers/snapshots.js';

function world(n: number): { source: SourceSnapshot; target: TargetSnapshot } {
  const email = (i: number) => `p${i}@acme.example`;
  const users = Array.from({ length: n }, (_, i) => user(`n${i}`, { email: email(i) }));
  const others = Array.from({ length: n }, (_, i) =>
    other(`pds${i}`, { email: email(i % 2 === 0 ? i : i + n) }),
  );
  return { source: buildSource({ users }), target: buildTarget({ others }) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function main(): void {
  const n = Number(process.argv[2] ?? 8000);
  const { source, target } = world(n);
  const ms: Record<'off' | 'email', number[]> = { off: [], email: [] };
  for (let round = 0; round < 3; round++)
    for (const by of ['off', 'email'] as const) {
      const start = performance.now();
      plan(source, target, options({ adoptExisting: by }));
      ms[by].push(performance.now() - start);
    }
  const off = median(ms.off);
  const email = median(ms.email);
  console.log(
    JSON.stringify({
      n,
      offMs: Math.round(off),
      emailMs: Math.round(email),
      ratio: +(email / off).toFixed(2),
    }),
  );
}

main();

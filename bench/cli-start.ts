// `npm run bench:cli-start -- [runs]`: how long a CLI call takes from spawn to exit, as an
// operator feels it, against a bare `node -e 0` measured in the same run: `dtsync --help`,
// `dtsync --version` and `dtsync config validate` on the example config (its `${VAR}` set), the
// median of `runs` (default 5) runs each of bin/dtsync.js (compiled JavaScript when dist/ is
// built). The calls are interleaved round by round, so a busy machine slows all of them alike.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** At most this many times a bare `node -e 0` (issue 27). */
const TARGET_RATIO = 2.2;

/** The example config's `${VAR}`s that are not commented out, set as an operator would. */
const EXAMPLE_ENV = {
  DINGTALK_APP_SECRET: 'bench-app-secret',
  DTSYNC_WEB_PASSWORD: 'bench-password-0123456789',
};

const CALLS = {
  bare: ['-e', '0'],
  help: ['bin/dtsync.js', '--help'],
  version: ['bin/dtsync.js', '--version'],
  configValidate: ['bin/dtsync.js', 'config', 'validate', '--config', 'dtsync.config.example.yaml'],
} as const;
type Call = keyof typeof CALLS;

function once(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...EXAMPLE_ENV },
    stdio: 'ignore',
  });
  const ms = performance.now() - t0;
  // the example config names a key file a user makes: 2 (it is missing) is the expected answer
  if (r.status !== 0 && r.status !== 2) throw new Error(`${args.join(' ')} exited ${String(r.status)}`);
  return ms;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const runs = Number(process.argv[2] ?? 5);
const names = Object.keys(CALLS) as Call[];
const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Call, number[]>;
for (let round = 0; round < runs; round++) {
  // each round starts with another call, so none is always first after the previous round's last
  for (let i = 0; i < names.length; i++) {
    const name = names[(round + i) % names.length] as Call;
    times[name].push(once(CALLS[name]));
  }
}
const bare = median(times.bare);
const commands = Object.fromEntries(
  names
    .filter((n) => n !== 'bare')
    .map((n) => {
      const ratio = median(times[n]) / bare;
      return [
        n,
        {
          command: `dtsync ${CALLS[n].slice(1).join(' ')}`,
          medianMs: Math.round(median(times[n])),
          allMs: times[n].map(Math.round),
          ratio: Math.round(ratio * 100) / 100,
          met: ratio <= TARGET_RATIO,
        },
      ];
    }),
);
process.stdout.write(
  `${JSON.stringify({
    runs,
    bareNodeMedianMs: Math.round(bare),
    bareNodeAllMs: times.bare.map(Math.round),
    targetRatio: TARGET_RATIO,
    commands,
    met: Object.values(commands).every((c) => c.met),
  })}\n`,
);

import { Command, InvalidArgumentError } from 'commander';
import { WORKER_NODE_FLAGS } from './procs.js';

export interface BenchParams {
  readonly users: number;
  readonly departments: number;
  readonly dingtalkQps: number;
  readonly pdsQps: number;
  readonly churn: number;
  /** 1: one profile reads the whole org. More: the tenants layout (bench/tenants/main.ts). */
  readonly profiles: number;
  /** With profiles > 1: every profile reads the same whole org of one app, not a tenant each. */
  readonly sharedOrg: boolean;
  /** Tenants layout: profiles sharing one DingTalk app, each syncing its own subsidiary. */
  readonly profilesPerApp: number;
  /** Tenants layout: `scheduler.spreadMinutes`, the minutes over which the hour's starts spread. */
  readonly spreadMinutes: number;
  readonly workers: number;
  readonly seed: number;
  readonly out: string | undefined;
  /** Node flags of the worker processes (default: the Dockerfile's heap cap). */
  readonly workerNodeFlags: readonly string[];
  /** Stops the DingTalk simulator this long every two seconds (0: never); see `stallPeriodically`. */
  readonly stallDingtalk: number;
}

const num = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`must be a number >= ${min}`);
  return n;
};

export function parseBenchArgs(argv: readonly string[]): BenchParams {
  const cmd = new Command('bench')
    .description('benchmark the sync at the remote APIs rate limits (see README, Performance)')
    .option('--users <n>', 'employees', num(1), 10_000)
    .option('--departments <n>', 'departments', num(1), 500)
    .option('--dingtalk-qps <n>', 'DingTalk limit per app and API', num(1), 200)
    .option('--pds-qps <n>', 'PDS limit per domain', num(1), 1000)
    .option('--churn <pct>', 'percent of users hired/left/renamed/moved before the churn phase', num(0), 2)
    .option(
      '--profiles <k>',
      'profiles, each syncing --users people into its own PDS domain, all scheduled at one hour (k > 1: see bench/tenants)',
      num(1),
      1,
    )
    .option('--shared-org', 'with --profiles: all read the same whole org of one app (no tenants, no hour)')
    .option(
      '--profiles-per-app <g>',
      'with --profiles: profiles sharing one DingTalk app (one subsidiary each)',
      num(1),
      10,
    )
    .option(
      '--spread-minutes <m>',
      "with --profiles: scheduler.spreadMinutes, the hour's minutes the starts spread over",
      num(1),
      10,
    )
    .option('--workers <w>', 'worker processes', num(1), 1)
    .option('--seed <s>', 'seed of the generated org', num(0), 1)
    .option('--out <file>', 'also write the JSON result here')
    .option(
      '--worker-node-flags <flags>',
      'Node flags of the worker processes, space-separated ("" for none)',
      WORKER_NODE_FLAGS.join(' '),
    )
    .option(
      '--stall-dingtalk <ms>',
      'stop the DingTalk simulator this many ms every two seconds, a remote that reads late (0-900)',
      (v: string) => {
        const n = num(0)(v);
        if (n > 900) throw new InvalidArgumentError('must be at most 900 (ms every two seconds)');
        return n;
      },
      0,
    )
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<
    Omit<BenchParams, 'out' | 'workerNodeFlags' | 'sharedOrg'> & {
      out?: string;
      workerNodeFlags: string;
      sharedOrg?: boolean;
    }
  >();
  return {
    ...o,
    sharedOrg: o.sharedOrg === true,
    out: o.out,
    workerNodeFlags: o.workerNodeFlags.split(/\s+/).filter((f) => f !== ''),
  };
}

import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { Matrix } from './matrix.js';
import {
  killCell,
  outcomesCell,
  racingCell,
  redisRestartCell,
  wipedCell,
  type ProcResult,
} from './process-cells.js';
import { WEB_PASSWORD } from './procs.js';

/**
 * The process row of the fault matrix (issue 16): real `dtsync worker`, `dtsync sync --wait` and
 * scheduler processes on a churned org, killed, stopped and raced, with Redis restarted, with and
 * without AOF, and wiped. Locks are short (`worker.lockSeconds: 2`); every wait is on a condition.
 */

const m = new Matrix<ProcResult>(
  'fault-proc',
  {
    'kill -9 in the source read': killCell('SIGKILL', 'source'),
    'kill -9 in the target read': killCell('SIGKILL', 'target'),
    'kill -9 in apply': killCell('SIGKILL', 'apply'),
    'SIGTERM during apply': killCell('SIGTERM', 'apply'),
    'Redis restart mid-run, with AOF': redisRestartCell(true),
    'Redis restart mid-run, without AOF': redisRestartCell(false),
    'Redis wiped between runs': wipedCell,
    'two schedulers and two workers racing on one slot': racingCell,
    'outcomes through sync --wait': outcomesCell,
  },
  1400,
  3,
);

// a test waits for its cell, which runs beside the others and, on a loaded machine, for minutes
jest.setTimeout(600_000);
beforeAll(() => m.start());
afterAll(() => m.close());

/** Convergence through the CLI: both runs exit 0, the state is exact, the second writes nothing. */
function expectConverged(r: ProcResult): void {
  expect(r.episode.violations).toEqual([]);
  expect(r.convergeCodes).toEqual([0, 0]);
  expect(r.converge.violations).toEqual([]);
  expect(r.converge.check).toEqual([]);
  expect(r.converge.nextViolations).toEqual([]);
  expect(r.converge.nextWrites).toBe(0);
}

function expectRecoveredRun(r: ProcResult): void {
  const { cli } = r.episode.result;
  expect(cli.stderr).not.toMatch(/\n\s+at /); // one line, no stack trace
  expect({ code: cli.code, hung: cli.hung, status: cli.report?.status }).toEqual({
    code: 0,
    hung: false,
    status: 'succeeded',
  });
}

describe('fault matrix, processes: a killed, stopped or raced worker loses nothing, and the run ends truthfully', () => {
  test('kill -9 in the source read: no write before the kill, another worker recovers the run (exit 0); converges', async () => {
    const r = await m.result('kill -9 in the source read');
    expect(r.episode.result.writesAtFault).toBe(0);
    expect(r.extra.finishedBy).toEqual(['worker-b']);
    expectRecoveredRun(r);
    expectConverged(r);
  });

  test('kill -9 in the target read: no write before the kill, another worker recovers the run (exit 0); converges', async () => {
    const r = await m.result('kill -9 in the target read');
    expect(r.episode.result.writesAtFault).toBe(0);
    expect(r.extra.finishedBy).toEqual(['worker-b']);
    expectRecoveredRun(r);
    expectConverged(r);
  });

  test('kill -9 in apply: another worker finishes the run with no duplicate (exit 0); converges', async () => {
    const r = await m.result('kill -9 in apply');
    expect(r.episode.result.writesAtFault).toBeGreaterThan(0);
    expect(r.extra.finishedBy).toEqual(['worker-b']);
    expectRecoveredRun(r);
    expectConverged(r);
  });

  test('kill -9 in apply: the recovered run reports the work of both attempts', async () => {
    const r = await m.result('kill -9 in apply');
    expect(r.episode.result.cli.report?.counts.created).toBe(r.extra.createdInEpisode);
  });

  test('SIGTERM during apply: the worker cancels its run after shutdownTimeoutSeconds and exits 0; another worker retries it after the back-off (exit 0); converges', async () => {
    const r = await m.result('SIGTERM during apply');
    const { cli } = r.episode.result;
    // one assertion, so a failure shows whether the CLI gave up, which worker ended the run, and how
    expect({ aExit: r.extra.aExit, finishedBy: r.extra.finishedBy, hung: cli.hung, code: cli.code }).toEqual({
      aExit: { code: 0, signal: null },
      finishedBy: ['worker-b'],
      hung: false,
      code: 0,
    });
    expectRecoveredRun(r);
    expectConverged(r);
  });

  test('Redis restart mid-run with AOF: the run ends truthfully and nothing is lost; converges', async () => {
    const r = await m.result('Redis restart mid-run, with AOF');
    expectRecoveredRun(r);
    expectConverged(r);
  });

  test('Redis restart mid-run without AOF: nothing harmed, the worker goes on serving; converges', async () => {
    const r = await m.result('Redis restart mid-run, without AOF');
    expectConverged(r);
  });

  test('Redis restart mid-run without AOF: sync --wait exits 7 in one line, no stack trace', async () => {
    const r = await m.result('Redis restart mid-run, without AOF');
    const { cli } = r.episode.result;
    expect(cli.hung).toBe(false);
    // the job is lost with Redis; if the surviving worker still finished the run and saved its
    // report in the new Redis, --wait tells that report's outcome, else that there is none (7)
    if (cli.report === undefined) expect(cli.code).toBe(7);
    else expect({ code: cli.code, status: cli.report.status }).toEqual({ code: 0, status: 'succeeded' });
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  });

  test('Redis restart mid-run with AOF: each of the 4 runs asked for is run once', async () => {
    const r = await m.result('Redis restart mid-run, with AOF');
    expect(r.extra.runsLogged).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  test('Redis restart mid-run without AOF: each of the 4 runs asked for is run once (no re-run after a lock-release error)', async () => {
    const r = await m.result('Redis restart mid-run, without AOF');
    expect(r.extra.runsLogged).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  test('Redis wiped between runs: the next run succeeds (exit 0) with no duplicate; converges', async () => {
    const r = await m.result('Redis wiped between runs');
    expectRecoveredRun(r);
    expectConverged(r);
  });

  test('two schedulers and two workers racing on one slot: one job, one run, succeeded; converges', async () => {
    const r = await m.result('two schedulers and two workers racing on one slot');
    expect(r.extra.runIds).toHaveLength(1);
    expect(r.extra.jobs).toEqual(['2026-07-15T03:07[Europe/Berlin]']);
    expect(r.extra.runs).toBe(1);
    expect(r.episode.result.cli.report?.status).toBe('succeeded');
    expectConverged(r);
  });

  test('sync --wait tells each outcome by its exit code and codes, with no stack trace: a missing permission exits 1, a record conflict exits 3', async () => {
    const r = await m.result('outcomes through sync --wait');
    expect(r.extra.permission).toEqual({
      code: 1,
      status: 'failed',
      error: 'dingtalk:60011',
      failures: [],
      stack: false,
    });
    expect(r.extra.permissionWrites).toBe(0);
    expect(r.extra.conflict).toEqual({
      code: 3,
      status: 'succeeded_with_errors',
      error: undefined,
      failures: ['AlreadyExist.Account'],
      stack: false,
    });
    expect(r.extra.conflictViolations).toEqual([]);
    expect(r.episode.violations).toEqual([]);
    expect(r.converge.check).toEqual([]);
    // the one phone login held by a hand-made user is tried again by every run (a failed record
    // stays pending) until an admin frees the phone: one write, refused, reported
    expect(r.converge.nextWrites).toBe(1);
  });

  test('sync --wait keeps reporting the conflict on every later run, exit 3', async () => {
    const r = await m.result('outcomes through sync --wait');
    expect(r.convergeCodes).toEqual([3, 3]);
  });

  test('no secret, token, web password, phone number or email reaches Redis or a log line, in any cell', async () => {
    const { found, searched } = await m.secretsFound([{ label: 'web password', value: WEB_PASSWORD }]);
    expect(searched).toBeGreaterThan(1000);
    expect(found).toEqual([]);
  });
});

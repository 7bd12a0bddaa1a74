import { describe, expect, it } from '@jest/globals';
import { connect, createServer } from 'node:net';
import { spawnCli, type CliResult } from '../helpers/cli.js';
import { until } from '../helpers/service.js';

/** The pid and loopback ports the demo says it started (its `started:` line and console URL). */
function startedBy(out: string): { pid: number; ports: number[] } {
  const pid = Number(/private Redis \(pid (\d+)\)/.exec(out)?.[1]);
  const ports = [...out.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  expect(pid).toBeGreaterThan(0);
  expect(ports.length).toBeGreaterThanOrEqual(5); // redis, DingTalk, PDS, robot, console
  return { pid, ports: [...new Set(ports)] };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

async function expectNothingLeft(r: CliResult): Promise<void> {
  const { pid, ports } = startedBy(r.stdout + r.stderr);
  expect(alive(pid)).toBe(false);
  for (const port of ports) expect(await listening(port)).toBe(false);
}

// English output, so the test reads the words it asserts on (zh-CN, the default, has its own tests)
const ENV = { DTSYNC_LANG: 'en' };

describe('dtsync demo', () => {
  it('--once syncs the whole simulated org with no failure, exits 0 and leaves nothing running', async () => {
    const { result } = spawnCli(['demo', '--once', '--users', '300', '--departments', '20'], ENV);
    const r = await result;
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('a sync can run');
    expect(r.stdout).toMatch(/DingTalk: 20 departments, 300 people in scope/);
    expect(r.stdout).toMatch(/PDS: 300 users created, 20 groups, \d+ login links; 0 failed/);
    expect(r.stdout).toContain("limits: the demo's (DingTalk 200 QPS, PDS 1000 QPS)");
    expect(r.stdout).toMatch(/console: http:\/\/127\.0\.0\.1:\d+ {2}login: admin \/ \S{16}/);
    await expectNothingLeft(r);
  });

  it('while serving, syncs each change of the simulated org, and Ctrl-C stops everything it started', async () => {
    const { child, result } = spawnCli(
      ['demo', '--users', '200', '--departments', '10', '--change-every', '1', '--real-limits'],
      ENV,
    );
    // a demo that fails this test must not outlive it (nor keep Jest from exiting)
    const killIfRunning = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until(
        () => out.includes('disabled, 0 groups renamed') && out.includes('synced by run 3'),
        'two synced changes',
        50_000,
      );
      expect(out).toContain('limits: the real ones (DingTalk 20 QPS, PDS 100 QPS)');
      expect(out).toMatch(/org change: \S+ joined\nsynced by run 2: succeeded; 1 created/);
      expect(out).toMatch(
        /org change: \S+ left\nsynced by run 3: succeeded; 0 created, 0 updated, 1 disabled/,
      );
    } catch (err) {
      killIfRunning();
      throw err;
    }
    child.kill('SIGINT');
    const r = await Promise.race([
      result,
      until(() => false, 'the demo to stop after SIGINT', 30_000).then(
        (): never => {
          throw new Error('unreachable: the condition never holds');
        },
        (err: unknown): never => {
          killIfRunning();
          throw err;
        },
      ),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the demo stopped everything it started');
    await expectNothingLeft(r);
  });

  it('refuses a --port that is taken, with a clear error, before starting anything', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const address = taken.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const { result } = spawnCli(['demo', '--once', '--port', String(port)], ENV);
      const r = await result;
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} is taken: choose another with --port`);
      expect(r.stderr).not.toContain('started:');
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});

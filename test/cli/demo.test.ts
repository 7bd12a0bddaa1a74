import { describe, expect, it, jest } from '@jest/globals';
import { connect, createServer } from 'node:net';
import { runCli, spawnCli, type CliResult } from '../helpers/cli.js';
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

const listening = (port: number, host = '127.0.0.1'): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, host);
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

/**
 * How long a demo may take to reach what a test waits for: it starts Redis and the simulators,
 * checks the config, syncs and (serving) syncs each change at the real limits, and on a loaded
 * machine that took longer than the 50 s this used to be.
 */
const DEMO_WAIT_MS = 240_000;
// a test's own bound: the wait above, and Ctrl-C's stop after it
jest.setTimeout(DEMO_WAIT_MS + 60_000);

/** The console's port, from the demo's `console:` line. */
const consolePortIn = (out: string): number => Number(/console: http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);

/**
 * Linux routes all of 127.0.0.0/8 to loopback: a server on 0.0.0.0 answers here, one on
 * 127.0.0.1 does not. It stands for the container's network address a published port reaches.
 */
const OTHER_LOOPBACK = '127.0.0.2';

/**
 * Runs `test` on a demo that serves, then stops it with Ctrl-C, checks it exited 0 and left
 * nothing running, and returns its output.
 */
async function whileServing(args: string[], test: (out: () => string) => Promise<void>): Promise<CliResult> {
  const { child, result } = spawnCli(['demo', ...args], ENV);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  // a demo that fails this test must not outlive it (nor keep Jest from exiting)
  const killIfRunning = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
  try {
    await test(() => out);
  } catch (err) {
    killIfRunning();
    throw err;
  }
  child.kill('SIGINT');
  const stopping = until(
    () => child.exitCode !== null || child.signalCode !== null,
    'the demo to stop',
    30_000,
  );
  await stopping.catch((err: unknown) => {
    killIfRunning();
    throw err;
  });
  const r = await result;
  expect(r.code).toBe(0);
  await expectNothingLeft(r);
  return r;
}

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
    const r = await whileServing(
      ['--users', '200', '--departments', '10', '--change-every', '1', '--real-limits'],
      async (out) => {
        await until(
          () => (out().match(/synced by run \S+:/g) ?? []).length >= 2,
          'two synced changes',
          DEMO_WAIT_MS,
        );
        expect(out()).toContain('limits: the real ones (DingTalk 20 QPS, PDS 100 QPS)');
        // by default the console listens on 127.0.0.1 alone: another loopback address is refused
        const port = consolePortIn(out());
        expect(await listening(port)).toBe(true);
        expect(await listening(port, OTHER_LOOPBACK)).toBe(false);
        expect(out()).toMatch(/org change: \S+ joined\nsynced by run \S+: succeeded; 1 created/);
        expect(out()).toMatch(
          /org change: \S+ left\nsynced by run \S+: succeeded; 0 created, 0 updated, 1 disabled/,
        );
      },
    );
    expect(r.stderr).toContain('the demo stopped everything it started');
  });

  it('--host 0.0.0.0 serves the console on every address, so a published container port reaches it', async () => {
    await whileServing(
      ['--host', '0.0.0.0', '--users', '40', '--departments', '4', '--change-every', '86400'],
      async (out) => {
        await until(() => out().includes('console: http://127.0.0.1:'), 'the console line', DEMO_WAIT_MS);
        const port = consolePortIn(out());
        expect(await listening(port, OTHER_LOOPBACK)).toBe(true);
        // the console itself answers there (its health check needs no login)
        const res = await fetch(`http://${OTHER_LOOPBACK}:${port}/healthz`, {
          headers: { connection: 'close' },
        });
        expect({ status: res.status, body: await res.text() }).toMatchObject({ status: 200 });
      },
    );
  });

  it('refuses a --host that is not an IP address, before starting anything', async () => {
    const r = await runCli(['demo', '--once', '--host', 'every-address'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must be an IP address, such as 127.0.0.1 or 0.0.0.0');
    expect(r.stderr).not.toContain('started:');
  });

  it('refuses a --host this machine does not have, naming it, before starting anything', async () => {
    // TEST-NET-2 (RFC 5737): never an address of this machine
    const r = await runCli(['demo', '--once', '--host', '198.51.100.7'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the console cannot listen on 198.51.100.7 (EADDRNOTAVAIL)');
    expect(r.stderr).not.toContain('started:');
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

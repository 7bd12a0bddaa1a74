import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DTSYNC, ROOT, runCli } from '../helpers/cli.js';
import { until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, WEB_SECTION, webEnv } from '../helpers/web.js';
import { freePort } from '../../sim/free-port.js';

let env: SimEnv;
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 4, users: 10, departments: 2 } }, name: 'web-role' });
});

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
  }
  for (const f of cleanups.splice(0)) f();
});

afterAll(async () => {
  await env.close();
});

function config(web: Record<string, unknown> | undefined): string {
  const cfg = writeServiceConfig(env, web === undefined ? {} : { web });
  cleanups.push(cfg.cleanup);
  return cfg.path;
}

async function serves(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

describe('dtsync web', () => {
  it('refuses to start without a web: section: exit 2, one line', async () => {
    const r = await runCli(['web', '--config', config(undefined)], webEnv(env));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: the web role needs a web: section in the config (host, port, auth)',
    ]);
  });

  it('refuses to start with auth none on a non-loopback host: exit 2, one line', async () => {
    const r = await runCli(['web', '--config', config({ host: '0.0.0.0', auth: 'none' })], webEnv(env));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: web\.auth is none but web\.host 0\.0\.0\.0 is not a loopback address/);
  });

  it('refuses to start when the web password variable is unset: exit 2, naming it', async () => {
    const { TEST_WEB_PASSWORD: _p, ...rest } = webEnv(env);
    const r = await runCli(['web', '--config', config(WEB_SECTION)], rest);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('TEST_WEB_PASSWORD');
  });

  it('listens on 127.0.0.1 by default and needs no DingTalk or PDS secret', async () => {
    const port = await freePort();
    const { SIM_APP_SECRET: _s, ...noProfileSecrets } = webEnv(env);
    const child = spawn(
      process.execPath,
      [DTSYNC, 'web', '--config', config({ ...WEB_SECTION, host: undefined, port })],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...noProfileSecrets },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.push(child);
    await until(() => serves(`http://127.0.0.1:${port}/healthz`), 'the web role', 30_000, 100);
    const r = await fetch(`http://127.0.0.1:${port}/api/profiles`, { headers: { authorization: basic() } });
    expect(r.status).toBe(200);
  });
});

describe('dtsync start', () => {
  it('runs the web role too when a web: section exists', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [DTSYNC, 'start', '--config', config({ ...WEB_SECTION, port })], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...webEnv(env) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    await until(() => serves(`http://127.0.0.1:${port}/readyz`), 'the web role of start', 30_000, 100);
    const w = await fetch(`http://127.0.0.1:${port}/api/workers`, { headers: { authorization: basic() } });
    expect(((await w.json()) as { count: number }).count).toBe(1);
  });
});

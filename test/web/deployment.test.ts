import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { parse } from 'yaml';
import { freePort } from '../../sim/free-port.js';
import { DTSYNC, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { fencedBlock } from '../helpers/markdown.js';
import { NGINX, selfSignedCert, startNginx, substitute, type Nginx } from '../helpers/nginx.js';
import { startWorkerHere, stopChildren, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { WEB_PASSWORD, WEB_USER, webEnv } from '../helpers/web.js';

/**
 * docs/deployment.md, followed: its nginx snippet (only the ports, the certificate and the
 * upstream changed) in front of `dtsync web` configured with its web: section, and a sync
 * started from Chromium over HTTPS through it.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NAME = 'dtsync.example.com';
const METRICS_TOKEN = 'prom-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c';

const doc = readFileSync(join(ROOT, 'docs', 'deployment.md'), 'utf8');
let env: SimEnv;
let nginx: Nginx | undefined;
let browser: Browser | undefined;
let stopWorker: (() => Promise<void>) | undefined;
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
let consoleUrl = '';
let httpPort = 0;

beforeAll(async () => {
  for (const [what, path, pkg] of [
    ['nginx', NGINX, 'nginx'],
    ['Chromium', CHROMIUM, 'chromium'],
    ['openssl', '/usr/bin/openssl', 'openssl'],
  ] as const) {
    if (!existsSync(path))
      throw new Error(`this test needs ${what} at ${path}: apt-get install -y ${pkg} (.ci/run installs it)`);
  }
  const [backend, https, http] = [await freePort(), await freePort(), await freePort()];
  consoleUrl = `https://${NAME}:${https}`;
  httpPort = http;
  env = await startSims({ dingtalk: { orgSpec: { seed: 9, users: 8, departments: 2 } }, name: 'deploy' });

  // the doc's web: section, on this test's ports
  const web = (parse(fencedBlock(doc, 'yaml')) as { web: Record<string, unknown> }).web;
  expect(web.publicUrl).toBe(`https://${NAME}`);
  const cfg = writeServiceConfig(env, { web: { ...web, port: backend, publicUrl: consoleUrl } });
  cleanups.push(cfg.cleanup);
  const dtsyncWeb = spawn(process.execPath, [DTSYNC, 'web', '--config', cfg.path], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...webEnv(env),
      DTSYNC_WEB_PASSWORD: WEB_PASSWORD,
      DTSYNC_METRICS_TOKEN: METRICS_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(dtsyncWeb);
  stopWorker = await startWorkerHere(env, cfg.path);

  const certs = tempDir('dtsync-cert-');
  cleanups.push(certs.cleanup);
  const { cert, key } = await selfSignedCert(certs.dir, NAME);
  const servers = substitute(fencedBlock(doc, 'nginx'), [
    ['listen 80;', `listen 127.0.0.1:${http};`],
    ['listen 443 ssl;', `listen 127.0.0.1:${https} ssl;`],
    ['/etc/ssl/dtsync/fullchain.pem', cert],
    ['/etc/ssl/dtsync/privkey.pem', key],
    ['http://127.0.0.1:8080', `http://127.0.0.1:${backend}`],
  ]);
  nginx = await startNginx(servers, [http, https]);
  // Chromium starts while `dtsync web` does
  const launched = chromium.launch({
    executablePath: CHROMIUM,
    // the doc's name resolves to this machine, as DNS would point it at the proxy
    args: ['--no-sandbox', `--host-resolver-rules=MAP ${NAME} 127.0.0.1`],
  });
  try {
    await until(
      async () => {
        if (dtsyncWeb.exitCode !== null) throw new Error(`dtsync web exited ${dtsyncWeb.exitCode}`);
        return (await fetch(`http://127.0.0.1:${backend}/healthz`).catch(() => undefined))?.status === 200;
      },
      'dtsync web',
      30_000,
      50,
    );
  } finally {
    browser = await launched; // closed by afterAll either way
  }
});

afterAll(async () => {
  await browser?.close();
  await nginx?.stop();
  await stopChildren(children);
  await stopWorker?.();
  for (const f of cleanups) f();
  await env?.close();
});

describe('docs/deployment.md, followed', () => {
  it('nginx with the doc snippet serves the console over HTTPS, and 立即同步 from Chromium through it starts a run', async () => {
    if (browser === undefined) throw new Error('no browser');
    const context = await browser.newContext({
      ignoreHTTPSErrors: true, // the test's self-signed certificate
      httpCredentials: { username: WEB_USER, password: WEB_PASSWORD },
      locale: 'zh-CN',
    });
    try {
      const page = await context.newPage();
      await page.goto(`${consoleUrl}/`);
      await page.getByText('上次同步信息').first().waitFor();
      expect(page.url()).toBe(`${consoleUrl}/`);

      const started = page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url() === `${consoleUrl}/api/profiles/acme/sync`,
      );
      await page.locator('button[data-action="sync"]').click();
      const answer = await started;
      expect(answer.status()).toBe(202);
      const { runId } = (await answer.json()) as { runId: string };

      // the worker ran it: the page reads its report back through the proxy
      const statusOf = (url: string) =>
        page.evaluate(async (u) => {
          const r = await fetch(u);
          return r.ok ? ((await r.json()) as { status: string }).status : '';
        }, url);
      let status = '';
      await until(
        async () => {
          status = await statusOf(`${consoleUrl}/api/runs/${encodeURIComponent(runId)}`);
          return status !== '' && status !== 'running';
        },
        `run ${runId} through nginx`,
        60_000,
        100,
      );
      expect(status).toBe('succeeded');
      expect(nginx?.accessLog()).toMatch(/"POST \/api\/profiles\/acme\/sync HTTP\/1\.1" 202 /);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("the doc's first server block sends plain http on to https", async () => {
    const r = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet({ host: '127.0.0.1', port: httpPort, path: '/runs', headers: { host: NAME } }, resolve).once(
        'error',
        reject,
      ),
    );
    r.resume();
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe(`https://${NAME}/runs`);
  });
});

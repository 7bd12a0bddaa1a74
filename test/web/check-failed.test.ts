import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { translator } from '../../src/i18n/catalog.js';
import { startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { WebClient } from '../helpers/web-client.js';
import {
  bearer,
  startWebHere,
  WEB_PASSWORD,
  WEB_SECTION,
  WEB_USER,
  type WebUnderTest,
} from '../helpers/web.js';

/**
 * A 配置检测 that fails on the worker reads in the console's language with its stable code,
 * never as the job's English failedReason: here the worker's config lacks the profile.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let env: SimEnv;
let web: WebUnderTest;
let browser: Browser;
let stopWorker: () => Promise<void>;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser tests need Chromium at ${CHROMIUM}`);
  env = await startSims({ name: 'check-failed' });
  const webCfg = writeServiceConfig(env, { web: WEB_SECTION });
  // the same queue, but a worker that knows another profile only
  const workerCfg = writeServiceConfig(env, { profile: { id: 'other' } });
  cleanups.push(webCfg.cleanup, workerCfg.cleanup);
  stopWorker = await startWorkerHere(env, workerCfg.path);
  web = await startWebHere(env, webCfg.path);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await stopWorker?.();
  for (const f of cleanups) f();
  await env?.close();
});

interface FailedCheck {
  readonly state: string;
  readonly error?: { code: string; params: Record<string, unknown>; text: string };
}

describe('a failed config check', () => {
  it('shows a catalog text with its stable code in the console, in the page language, not the job English reason', async () => {
    const client = new WebClient(web.url);
    const headers = { authorization: bearer() };
    const started = await client.call('POST', '/api/profiles/acme/check', { headers, body: {} });
    expect(started.status).toBe(202);
    const { checkId } = started.json<{ checkId: string }>();
    const read = async (lang: string) =>
      (
        await client.call('GET', `/api/checks/${checkId}`, {
          headers: { ...headers, cookie: `lang=${lang}` },
        })
      ).json<FailedCheck>();
    await until(async () => (await read('zh-CN')).state === 'failed', 'the check to fail', 60_000, 50);
    const job = await web.queue.getJob(checkId);
    expect(job?.failedReason).toMatch(/unknown profile "acme"/); // the English line stays for logs
    expect(await read('zh-CN')).toEqual({
      id: checkId,
      profileId: 'acme',
      state: 'failed',
      error: {
        code: 'unknown_profile',
        params: { profile: 'acme' },
        text: translator('zh-CN')('problem.unknown_profile', { profile: 'acme' }),
      },
    });
    expect((await read('en')).error?.text).toBe(
      translator('en')('problem.unknown_profile', { profile: 'acme' }),
    );

    // the console, in its zh-CN, says it in the catalog's words with the code
    const context = await browser.newContext({
      httpCredentials: { username: WEB_USER, password: WEB_PASSWORD },
      locale: 'zh-CN',
    });
    try {
      const page = await context.newPage();
      await page.goto(`${web.url}/`);
      await page.locator('button[data-action="check"]').click();
      const head = page.locator('.check-result p.warn');
      await head.waitFor({ timeout: 60_000 });
      expect(await head.textContent()).toBe(
        translator('zh-CN')('check.failedWith', {
          reason: translator('zh-CN')('problem.unknown_profile', { profile: 'acme' }),
          code: 'unknown_profile',
        }),
      );
    } finally {
      await context.close();
    }
  });
});

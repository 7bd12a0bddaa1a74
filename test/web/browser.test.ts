import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../helpers/cli.js';
import { startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { seedOrg, seedRun } from '../helpers/run-seed.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { startWebHere, WEB_PASSWORD, WEB_SECTION, WEB_USER, type WebUnderTest } from '../helpers/web.js';

/** Debian's chromium, driven by playwright-core (no browser download). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the screenshots go; .ci/run prints this path. */
export const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');
const XSS = '<img src=x onerror=alert(1)>';

let env: SimEnv;
let web: WebUnderTest;
let browser: Browser;
let stopWorker: () => Promise<void>;
let cfg: { path: string; cleanup: () => void };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium fonts-wqy-microhei (.ci/run installs them), or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  env = await startSims({ dingtalk: { orgSpec: { seed: 31, users: 30, departments: 4 } }, name: 'browser' });
  // any disable is held, so there is a run to approve
  cfg = writeServiceConfig(env, { web: WEB_SECTION, sync: { safety: { maxDisableCount: 0 } } });
  stopWorker = await startWorkerHere(env, cfg.path);
  web = await startWebHere(env, cfg.path);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await stopWorker?.();
  cfg?.cleanup();
  await env?.close();
});

function hire(name?: string): string {
  const h = env.dingtalk.control.mutate({ op: 'hire', ...(name === undefined ? {} : { user: { name } }) });
  if (h.op !== 'hire') throw new Error('no hire');
  return h.userid;
}

async function lastRunId(): Promise<string | undefined> {
  return (await web.history.list('acme', 1))[0]?.runId;
}

/** The eight steps in one browser context (a page, and fresh ones) of the given width. */
async function consoleStory(width: number, height: number): Promise<void> {
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${width}-${name}.png`), fullPage: true });
  const context = await browser.newContext({
    viewport: { width, height },
    httpCredentials: { username: WEB_USER, password: WEB_PASSWORD },
    locale: 'zh-CN',
  });
  const dialogs: string[] = [];
  const openPage = async (): Promise<Page> => {
    const p = await context.newPage();
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return p;
  };
  let page = await openPage();
  /**
   * Goes to `url` in a fresh page. The console page reloads itself when it sees a run end, at a
   * moment of its own (or never: a run quicker than its first poll is not seen), and a navigation
   * of ours racing that reload was aborted (net::ERR_ABORTED) on a loaded machine.
   */
  const freshPage = async (url: string): Promise<void> => {
    await page.close();
    page = await openPage();
    await page.goto(url);
  };
  try {
    // one PDS failure (a hand-made user holds the id) and a name that is markup
    const taken = hire();
    env.pds.control.seed({
      users: [{ user_id: `dt_${taken}`, nick_name: 'by hand', role: 'user', status: 'enabled' }],
    });
    hire(XSS);
    const before = await lastRunId();

    // 1-2. log in and see 上次同步信息
    await page.goto(`${web.url}/`);
    await page.getByText('上次同步信息').first().waitFor();
    await shot('1-console');

    // 配置检测 runs as a job on the worker; the page shows its result when done
    await page.locator('button[data-action="check"]').click();
    await page.locator('.check-result p.ok').waitFor({ timeout: 60_000 });
    await expect(page.locator('.check-result').textContent()).resolves.toContain('检测通过');

    // 3. 立即同步, watching the progress until the run finishes
    env.pds.control.setFaults({ latencyMs: 5 });
    await page.locator('button[data-action="sync"]').click();
    await page.locator('ul.live li:not(.none)').first().waitFor();
    await shot('3-progress');
    await until(async () => (await lastRunId()) !== before, 'the run to finish', 90_000, 100);
    env.pds.control.setFaults({ latencyMs: 0 });
    const runId = (await lastRunId()) ?? '';
    await page.locator(`a.details[href="/runs/${runId}"]`).waitFor({ timeout: 30_000 });
    await shot('3-finished');

    // 4. its 导入结果: the run page opens on its failures, with the reason
    await page.locator(`a.details[href="/runs/${runId}"]`).click();
    await page.getByRole('heading', { name: '导入失败' }).waitFor();
    const failures = (await page.locator('table.list.failures').textContent()) ?? '';
    expect(failures).toContain(`dt_${taken}`);
    expect(failures).toContain('用户 ID 已被非同步创建的用户占用 (UserIdTaken)');
    // 7. the markup name shows as text in the change log, and nothing ran
    await page.locator('#run-list nav.tabs a[data-list="changes"]').click();
    await page.locator('table.list.changes').waitFor();
    await expect(page.locator('table.list.changes').textContent()).resolves.toContain(XSS);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await shot('4-import-result');

    // 5. approve a held run (someone left the scope)
    env.dingtalk.control.mutate({ op: 'leave', userid: env.dingtalk.control.org().users[0]!.userid });
    await page.goto(`${web.url}/`);
    const beforeHold = await lastRunId();
    await page.locator('button[data-action="sync"]').click();
    await until(async () => (await lastRunId()) !== beforeHold, 'the held run', 90_000, 100);
    const held = (await lastRunId()) ?? '';
    await until(async () => (await web.history.get(held))?.status === 'held', 'the held run', 90_000, 100);
    expect((await web.history.get(held))?.status).toBe('held');
    // the page watching that run reloads itself when it ends: a fresh one shows it held
    await freshPage(`${web.url}/`);
    await page.locator(`.held[data-run="${held}"] button[data-action="approve"]`).click({ timeout: 30_000 });
    await until(
      async () => (await web.history.get(held))?.actors?.approvedBy === WEB_USER,
      'the approval',
      30_000,
      100,
    );
    await page.locator(`.held[data-run="${held}"]`).waitFor({ state: 'detached', timeout: 30_000 });
    await shot('5-approved');

    // 6. the queue dashboard shows the completed job (bull-board writes `#` only before numeric
    // ids; the approved run may still be watched, so a fresh page)
    await freshPage(`${web.url}/admin/queues/queue/sync?status=completed`);
    await page.getByText(runId, { exact: true }).first().waitFor({ timeout: 30_000 });
    await shot('6-dashboard');

    // 8. switch to English
    await page.goto(`${web.url}/`);
    await page.locator('#lang-toggle').click();
    await page.getByText('Last sync').first().waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await shot('8-english');
    await page.locator('#lang-toggle').click(); // back to Chinese for the next pass
    await page.getByText('上次同步信息').first().waitFor();
    expect(dialogs).toEqual([]);
  } finally {
    await context.close();
  }
}

/** A run page's change log, paged and filtered, at the given width. */
async function pagedRunPage(width: number, height: number): Promise<void> {
  const runId = `paged-${width}`;
  const org = seedOrg(300, { divisions: 3, teamsEach: 4 });
  // an old run, so the console's newest run stays the story's
  await seedRun(web.history, org, {
    runId,
    profileId: 'acme',
    startedAt: new Date('2026-01-01T02:00:00Z'),
    entries: 400,
  });
  const context = await browser.newContext({
    viewport: { width, height },
    httpCredentials: { username: WEB_USER, password: WEB_PASSWORD },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const rows = () => page.locator('table.list.changes tbody tr');
  try {
    await page.goto(`${web.url}/runs/${runId}`);
    await page.getByRole('heading', { name: '变更记录' }).waitFor();
    await expect(rows().count()).resolves.toBe(50);
    await expect(page.locator('#run-list nav.pager').textContent()).resolves.toContain('第 1 页，共 400 条');
    // the next page holds the next fifty: entry 50 is person u50's
    await page.locator('#run-list a[rel="next"]').click();
    await page.locator('#run-list nav.pager', { hasText: '第 2 页' }).waitFor();
    await expect(rows().first().textContent()).resolves.toContain('u50 · dt_u50');
    await page.screenshot({ path: join(SCREENSHOTS, `${width}-run-page-2.png`), fullPage: true });
    // filtered by a division's path (its teams with it) and an action; departments shown as paths
    await page.locator('form.list-filter input[name="department"]').fill('总公司 / 事业部2');
    await page.locator('form.list-filter select[name="action"]').selectOption('update');
    await page.locator('form.list-filter button[type="submit"]').click();
    await page.waitForURL(/department=/);
    const shown = await rows().allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    for (const r of shown) {
      expect(r).toContain('总公司 / 事业部2 / 第');
      expect(r).toContain('更新');
      expect(r).toContain('姓名: 旧名 →');
    }
    await expect(page.locator('#run-list a.csv').getAttribute('href')).resolves.toContain('format=csv');
    // the page fits the screen: wide tables scroll in their own box
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, `${width}-run-page-filtered.png`), fullPage: true });
  } finally {
    await context.close();
  }
}

describe('the web console in a real headless Chromium', () => {
  it('at 1280 px: logs in, syncs now and watches it, reads 导入结果, approves, sees the dashboard, escapes names, switches to English', async () => {
    await consoleStory(1280, 900);
  }, 180_000);

  it('at 390 px (a phone): the same steps', async () => {
    await consoleStory(390, 844);
  }, 180_000);

  it('at 1280 px: a run page pages and filters its change log', async () => {
    await pagedRunPage(1280, 900);
  }, 120_000);

  it('at 390 px: a run page pages and filters its change log', async () => {
    await pagedRunPage(390, 844);
  }, 120_000);
});

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { pdsUserIdFor } from '../../src/pds-snapshot/identity.js';
import { ROOT } from '../helpers/cli.js';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { startWebHere, WEB_PASSWORD, WEB_SECTION, WEB_USER, type WebUnderTest } from '../helpers/web.js';

/** Debian's chromium, driven by playwright-core (no browser download). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(ROOT, 'test-output', 'screenshots');

// the setup awaits two whole runs and a browser's start: more than Jest's 60 s under load
jest.setTimeout(300_000);

let env: SimEnv;
let web: WebUnderTest;
let browser: Browser;
let cleanup: () => void;
let person: { userid: string; name: string };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium fonts-wqy-microhei (.ci/run installs them), or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  env = await startSims({
    dingtalk: { orgSpec: { seed: 33, users: 20, departments: 4 } },
    name: 'person-browser',
  });
  const cfg = writeServiceConfig(env, { web: WEB_SECTION });
  cleanup = cfg.cleanup;
  web = await startWebHere(env, cfg.path);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  // two runs: the person is created, then renamed
  const u = env.dingtalk.control.org().users.find((x) => x.mobile !== undefined);
  if (u === undefined) throw new Error('nobody with a phone');
  person = { userid: u.userid, name: u.name };
  await env.run(env.profile());
  env.dingtalk.control.mutate({ op: 'setUser', userid: u.userid, set: { name: `${u.name}新` } });
  await env.run(env.profile());
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  cleanup?.();
  await env?.close();
});

/** From the console's nav: search, open the person, read the history; nothing wider than the screen. */
async function personStory(width: number, height: number): Promise<void> {
  const context = await browser.newContext({
    viewport: { width, height },
    httpCredentials: { username: WEB_USER, password: WEB_PASSWORD },
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${width}-person-${name}.png`), fullPage: true });
  const fitsScreen = async () =>
    // a string: the tests compile without the DOM's types
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
  try {
    await page.goto(`${web.url}/`);
    await page.locator('nav a[href="/people"]').click();
    await page.getByRole('heading', { name: '人员' }).waitFor();
    await page.locator('input[name="q"]').fill(person.userid);
    await page.locator('form.search button[type="submit"]').click();
    const pdsUserId = pdsUserIdFor(person.userid);
    await page.locator(`table.people-hits a[href^="/people/${pdsUserId}"]`).click();
    await page.getByRole('heading', { name: '同步对此人所做的变更' }).waitFor();
    const history = (await page.locator('table.person-history').textContent()) ?? '';
    expect(history).toContain(`显示名: ${person.name} → ${person.name}新`);
    expect(history).toContain('创建');
    expect(await page.locator('table.person-history tbody tr').count()).toBe(2);
    await expect(page.locator('section.account').textContent()).resolves.toContain('已启用');
    await expect(page.locator('section.dingtalk').textContent()).resolves.toContain(`${person.name}新`);
    await fitsScreen();
    await shot('page');

    // the department tree, linked from the status page
    await page.goto(`${web.url}/`);
    await page.locator('a[href="/profiles/acme/departments"]').click();
    await page.locator('table.departments tbody tr').first().waitFor();
    expect(await page.locator('table.departments tbody tr').count()).toBe(
      env.dingtalk.control.org().departments.length,
    );
    await fitsScreen();
    await shot('departments');
  } finally {
    await context.close();
  }
}

describe('the person page in a real headless Chromium', () => {
  it('at 1280 px: search a person from the nav, open their page, read the history of two runs; the department tree', async () => {
    await personStory(1280, 900);
  }, 300_000);

  it('at 390 px (a phone): the same, nothing wider than the screen', async () => {
    await personStory(390, 844);
  }, 300_000);
});

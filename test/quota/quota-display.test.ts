import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { serviceEnv, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

const QUOTA = 100_000;

let env: SimEnv;
let web: WebUnderTest;
let config: { path: string; cleanup: () => void };
let used: number;

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 32, users: 30, departments: 4 } },
    name: 'quota-show',
  });
  config = writeServiceConfig(env, {
    web: WEB_SECTION,
    dingtalk: { monthlyQuota: QUOTA },
    sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 3 } },
  });
  web = await startWebHere(env, config.path);
  const r = await env.run(env.profile({ dingtalk: { monthlyQuota: QUOTA } }));
  expect(r.status).toBe('succeeded');
  await env.quota.flush();
  used = Object.values(r.apiCalls.dingtalk).reduce((a, b) => a + b, 0);
});

afterAll(async () => {
  await web.close();
  config.cleanup();
  await env.close();
});

describe('the DingTalk month on display', () => {
  it("the status page shows each organisation's calls this month against its quota, and the projection", async () => {
    const res = await fetch(`${web.url}/?lang=en`, { headers: { authorization: basic() } });
    const body = (await res.text()).replace(/\s+/g, ' ');
    expect(body).toContain('DingTalk calls this month');
    expect(body).toMatch(
      new RegExp(
        `organisation ${env.dingtalk.appKey}, \\d{4}-\\d{2}: ${used} of ${QUOTA} metered calls \\(0%\\), \\d+ projected`,
      ),
    );
  });

  it('dtsync status shows it too, with the counts by API in --json', async () => {
    const json = await runCli(['status', 'acme', '--json', '--config', config.path], serviceEnv(env));
    expect(json.code).toBe(0);
    const [status] = JSON.parse(json.stdout) as {
      dingtalkMonth: { used: number; standing: { quota: number } };
    }[];
    expect(status?.dingtalkMonth).toMatchObject({
      org: env.dingtalk.appKey,
      used,
      standing: { quota: QUOTA },
    });
    const text = await runCli(['status', 'acme', '--config', config.path], {
      ...serviceEnv(env),
      DTSYNC_LANG: 'en',
    });
    expect(text.stdout).toContain(`organisation ${env.dingtalk.appKey}`);
    expect(text.stdout).toContain(`${used} of ${QUOTA} metered calls`);
  });
});

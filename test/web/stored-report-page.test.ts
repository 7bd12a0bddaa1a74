import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { StateKeys } from '../../src/state/keys.js';
import { firstGenerationReport, kindGenerationReport } from '../fixtures/stored-v1.js';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

/** Reports stored by earlier versions render on the pages in the current shape's words. */

let env: SimEnv;
let web: WebUnderTest;
let cleanup: () => void;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 29, users: 5, departments: 2 } }, name: 'old-page' });
  const cfg = writeServiceConfig(env, { web: WEB_SECTION });
  cleanup = cfg.cleanup;
  web = await startWebHere(env, cfg.path);
  const keys = new StateKeys(env.prefix);
  for (const [at, r] of [
    [1, firstGenerationReport('old-first')],
    [2, kindGenerationReport('old-kind')],
  ] as const) {
    await env.redis.set(keys.run(String(r.runId)), JSON.stringify(r));
    await env.redis.zadd(keys.runs('acme'), String(at), String(r.runId));
  }
});

afterAll(async () => {
  await web.close();
  cleanup();
  await env.close();
});

const page = async (path: string) => {
  const res = await fetch(`${web.url}${path}`, { headers: { authorization: basic() } });
  expect(res.status).toBe(200);
  return (await res.text()).replace(/\s+/g, ' ');
};

describe('a report stored by an earlier version', () => {
  it('renders on its run page: plain-text reason and warning, failures worded by kind, actions from strings', async () => {
    const body = await page('/runs/old-first');
    expect(body).toContain('plan disables 6 of 10 managed enabled users (60%)');
    expect(body).toContain('department 9 is gone or out of scope');
    // a group create that failed, its department read out of the old English reason
    expect(body).toContain('创建部门组（部门 12）');
    expect(body).toContain('PDS 暂时不可用，多次重试后仍失败（group of department 12');
    expect(body).toContain('关联已有用户（邮箱）');
    // its change log, moved to the lists of the current layout where it was first read
    expect(await page('/runs/old-first?list=changes')).toContain('重命名部门组（部门组 g7 → “销售部”）');
  });

  it('lists its re-entries on its run page, counted on the status page, and its counts on the runs page', async () => {
    expect(await page('/')).toContain('<a href="/runs/old-kind#reentries">1 人');
    expect(await page('/runs/old-kind')).toContain('李四 (u5) · 销售部 · 2026-11-30 09:00:00 GMT+8');
    const runs = await page('/profiles/acme/runs');
    expect(runs).toContain('old-first');
    expect(runs).toContain('old-kind');
  });
});

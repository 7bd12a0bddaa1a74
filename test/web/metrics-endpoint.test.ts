import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serviceEnv, startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, bearer, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';
import { runCli } from '../helpers/cli.js';

const METRICS_TOKEN = 'prom-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';

let env: SimEnv;
let webs: WebUnderTest[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

beforeAll(async () => {
  env = await startSims({
    dingtalk: { orgSpec: { seed: 17, users: 30, departments: 3 } },
    name: 'metrics-web',
  });
  const cfg = writeServiceConfig(env, { web: { ...WEB_SECTION, metricsToken: '${TEST_METRICS_TOKEN}' } });
  cleanups.push(cfg.cleanup);
  process.env.TEST_METRICS_TOKEN = METRICS_TOKEN;
  cleanups.push(await startWorkerHere(env, cfg.path));
  // two web processes: the figures live in Redis, not in one process
  webs = [await startWebHere(env, cfg.path), await startWebHere(env, cfg.path)];
  const r = await runCli(['sync', 'acme', '--wait', '--config', cfg.path], serviceEnv(env));
  expect(r.code).toBe(0);
});

afterAll(async () => {
  for (const w of webs) await w.close();
  for (const f of cleanups.reverse()) await f();
  delete process.env.TEST_METRICS_TOKEN;
  await env.close();
});

const scrape = async (w: WebUnderTest, authorization?: string) =>
  fetch(`${w.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

describe('the web role serves /metrics', () => {
  it('takes web.metricsToken as a bearer token, else the console login, else 401', async () => {
    const [w] = webs;
    if (w === undefined) throw new Error('no web');
    expect((await scrape(w)).status).toBe(401);
    expect((await scrape(w, bearer('wrong'))).status).toBe(401);
    expect((await scrape(w, bearer(METRICS_TOKEN))).status).toBe(200);
    expect((await scrape(w, basic())).status).toBe(200);
  });

  it('after a run its counters and the last-success gauge are there, and two web processes serve the same figures', async () => {
    const [a, b] = webs;
    if (a === undefined || b === undefined) throw new Error('no web');
    const figures = async (w: WebUnderTest) =>
      (await (await scrape(w, bearer(METRICS_TOKEN))).text())
        .split('\n')
        .filter((l) => /^dtsync_(runs_total|last_success_timestamp_seconds|changes_total)\{/.test(l))
        .sort();
    await until(
      async () => (await figures(a)).some((l) => l.startsWith('dtsync_runs_total{')),
      'the run counted',
    );
    const fa = await figures(a);
    expect(fa.find((l) => l.startsWith('dtsync_runs_total{') && l.includes('status="succeeded"'))).toMatch(
      / 1$/,
    );
    expect(fa.some((l) => l.startsWith('dtsync_last_success_timestamp_seconds{profile="acme"}'))).toBe(true);
    expect(await figures(b)).toEqual(fa);
  });
});

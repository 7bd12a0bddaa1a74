import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runDataOf } from '../../src/queue/jobs.js';
import { keepsRunIdRule } from '../../src/queue/run-id.js';
import { runCli } from '../helpers/cli.js';
import { serviceEnv, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { WebClient } from '../helpers/web-client.js';
import { bearer, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

/**
 * Runs from before our own run ids carry BullMQ's numeric ones in the history: they still
 * resolve everywhere an operator types or follows one.
 */

let env: SimEnv;
let web: WebUnderTest;
let cfg: { path: string; cleanup: () => void };

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 23, users: 30, departments: 3 } }, name: 'old-ids' });
  // any disable is held, so run 12 waits for approval
  const sync = { safety: { maxDisableCount: 0 } };
  cfg = writeServiceConfig(env, { web: WEB_SECTION, sync });
  const profile = env.profile({ sync });
  expect((await env.run(profile, { runId: '11' })).status).toBe('succeeded');
  const leaver = env.dingtalk.control.org().users[0]?.userid ?? '';
  env.dingtalk.control.mutate({ op: 'leave', userid: leaver });
  expect((await env.run(profile, { runId: '12' })).status).toBe('held');
  web = await startWebHere(env, cfg.path);
}, 120_000);

afterAll(async () => {
  await web.close();
  cfg.cleanup();
  await env.close();
});

describe('old numeric run ids still resolve', () => {
  it('dtsync runs show 12 shows the run stored as 12', async () => {
    const r = await runCli(['runs', 'show', '12', '--json', '--config', cfg.path], serviceEnv(env));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runId: '12', status: 'held' });
  });

  it("the console's /runs/12 and /api/runs/12 show it", async () => {
    const client = new WebClient(web.url);
    const headers = { authorization: bearer() };
    const api = await client.call('GET', '/api/runs/12', { headers });
    expect(api.status).toBe(200);
    expect(api.json()).toMatchObject({ runId: '12', status: 'held' });
    const page = await client.call('GET', '/runs/12', { headers });
    expect(page.status).toBe(200);
    expect(page.text).toContain('12');
  });

  it('dtsync approve 12 approves it, and the approval run gets an id of the new format', async () => {
    const r = await runCli(['approve', '12', '--config', cfg.path], serviceEnv(env));
    expect(r.code).toBe(0);
    const approvalId = r.stdout.trim();
    expect(keepsRunIdRule(approvalId)).toBe(true);
    const job = await web.queue.getJob(approvalId);
    expect(runDataOf(job)).toMatchObject({ trigger: 'approval', approvedRunId: '12' });
    expect((await web.history.get('12'))?.held?.resolution).toMatchObject({
      action: 'approved',
      approvalRunId: approvalId,
    });
  });
});

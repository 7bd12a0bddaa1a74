import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { RunSummary } from '../../src/report/summary.js';
import { startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, testKeyPair, type SimEnv } from '../helpers/sims.js';
import { WebClient } from '../helpers/web-client.js';
import {
  basic,
  bearer,
  startWebHere,
  WEB_PASSWORD,
  WEB_SECTION,
  WEB_TOKEN,
  type WebUnderTest,
} from '../helpers/web.js';

// a test may await several runs on the worker in this process, each up to 90 s (`finishedRun`) on
// a loaded machine: more than Jest's 60 s default for the test
jest.setTimeout(300_000);

let env: SimEnv;
let web: WebUnderTest;
let client: WebClient;
let stopWorker: () => Promise<void>;
let cfg: { path: string; cleanup: () => void };

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 17, users: 40, departments: 5 } }, name: 'web-api' });
  // any disable is held, so approve and reject have runs to decide
  cfg = writeServiceConfig(env, { web: WEB_SECTION, sync: { safety: { maxDisableCount: 0 } } });
  stopWorker = await startWorkerHere(env, cfg.path);
  web = await startWebHere(env, cfg.path);
  client = new WebClient(web.url);
});

afterAll(async () => {
  await web.close();
  await stopWorker();
  cfg.cleanup();
  await env.close();
});

const token = { authorization: bearer() };
const get = (path: string) => client.call('GET', path, { headers: token });
const post = (path: string, body?: unknown) =>
  client.call('POST', path, { headers: token, body: body ?? {} });

async function finishedRun(runId: string): Promise<RunSummary> {
  await until(async () => (await web.history.get(runId)) !== undefined, `run ${runId}`, 90_000, 50);
  // the report is saved before the job ends (and before the worker adds who started it): wait
  // for the job too, or the run still reads as live and without its actor
  await until(async () => {
    const state = await (await web.queue.getJob(runId))?.getState();
    return state === undefined || state === 'completed' || state === 'failed';
  }, `job ${runId} to end`);
  const r = await web.history.get(runId);
  if (r === undefined) throw new Error('no report');
  return r;
}

async function syncAndWait(body: { dryRun?: boolean } = {}): Promise<RunSummary> {
  const r = await post('/api/profiles/acme/sync', body);
  expect(r.status).toBe(202);
  return finishedRun(r.json<{ runId: string }>().runId);
}

const ROUTES: [string, string][] = [
  ['GET', '/'],
  ['GET', '/runs/1'],
  ['GET', '/profiles/acme/runs'],
  ['GET', '/admin/queues'],
  ['GET', '/api/profiles'],
  ['GET', '/api/profiles/acme/status'],
  ['POST', '/api/profiles/acme/sync'],
  ['POST', '/api/profiles/acme/check'],
  ['GET', '/api/checks/1'],
  ['GET', '/api/profiles/acme/runs'],
  ['GET', '/api/runs/1'],
  ['GET', '/api/runs/1/failures'],
  ['POST', '/api/runs/1/approve'],
  ['POST', '/api/runs/1/reject'],
  ['GET', '/api/workers'],
];

describe('web console: auth', () => {
  it('/healthz and /readyz answer 200 without credentials', async () => {
    expect((await client.call('GET', '/healthz')).status).toBe(200);
    const ready = await client.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it.each(ROUTES)('%s %s answers 401 without credentials, asking for basic auth', async (method, path) => {
    const r = await client.call(method, path, method === 'POST' ? { body: {} } : {});
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="dtsync"/);
  });

  it('answers 200 with basic auth and with a bearer token', async () => {
    expect((await client.call('GET', '/api/profiles', { headers: { authorization: basic() } })).status).toBe(
      200,
    );
    expect((await client.call('GET', '/api/profiles', { headers: token })).status).toBe(200);
    expect((await client.call('GET', '/', { headers: { authorization: basic() } })).status).toBe(200);
  });

  it('a wrong password or an unknown token answers 401', async () => {
    expect(
      (await client.call('GET', '/api/profiles', { headers: { authorization: basic('admin', 'nope') } }))
        .status,
    ).toBe(401);
    expect(
      (await client.call('GET', '/api/profiles', { headers: { authorization: bearer('nope') } })).status,
    ).toBe(401);
  });
});

describe('web console: security headers and CSRF', () => {
  it("helmet's security headers are on every answer", async () => {
    for (const path of ['/', '/api/profiles', '/healthz']) {
      const r = await client.call('GET', path, { headers: token });
      expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('strict-transport-security')).toContain('max-age');
    }
  });

  it('a cross-origin POST gets 403, even with a valid CSRF token', async () => {
    const session = await client.csrfSession();
    const r = await client.call('POST', '/api/profiles/acme/check', {
      headers: { ...session, origin: 'http://evil.example' },
      body: {},
    });
    expect(r.status).toBe(403);
    const noOrigin = await client.call('POST', '/api/profiles/acme/check', {
      headers: { authorization: basic(), 'sec-fetch-site': 'cross-site' },
      body: {},
    });
    expect(noOrigin.status).toBe(403);
  });

  it('a basic-auth POST without the CSRF token gets 403; with it, 202', async () => {
    const without = await client.call('POST', '/api/profiles/acme/check', {
      headers: { authorization: basic(), origin: web.url },
      body: {},
    });
    expect(without.status).toBe(403);
    expect(without.text).not.toMatch(/\bat .*\.(js|ts):\d+/);
    const session = await client.csrfSession();
    const ok = await client.call('POST', '/api/profiles/acme/check', { headers: session, body: {} });
    expect(ok.status).toBe(202);
  });
});

describe('web console: the admin API', () => {
  it('GET /api/profiles lists the profiles with their settings and no secret', async () => {
    const r = await get('/api/profiles');
    expect(r.status).toBe(200);
    const [p] = r.json<{ id: string; dingtalk: Record<string, unknown>; pds: Record<string, unknown> }[]>();
    expect(p?.id).toBe('acme');
    expect(Object.keys(p?.dingtalk ?? {}).sort()).toEqual(['appKey', 'qps']);
    expect(Object.keys(p?.pds ?? {}).sort()).toEqual(['domainId', 'qps']);
  });

  it('unknown profiles, runs and checks get 404 with a stable code, the reason in the request’s language, and no stack trace', async () => {
    for (const path of [
      '/api/profiles/nope/status',
      '/api/profiles/nope/runs',
      '/api/runs/999999',
      '/api/runs/999999/failures',
      '/api/checks/999999',
      '/runs/999999',
    ]) {
      const r = await get(path);
      expect(r.status).toBe(404);
      // the config's locale (zh-CN) by default; the console's language cookie chooses another
      expect(r.json<{ error: string; message: string }>()).toEqual({
        error: 'not_found',
        message: expect.stringMatching(/^未知的(同步配置|同步|配置检测) "(nope|999999)"$/),
      });
      expect(r.text).not.toMatch(/\bat .*\.(js|ts):\d+|stack/);
      const en = await client.call('GET', path, { headers: { ...token, cookie: 'lang=en' } });
      expect(en.json<{ message: string }>().message).toMatch(/^unknown (profile|run|check) "(nope|999999)"$/);
    }
    expect((await post('/api/profiles/nope/sync')).status).toBe(404);
    expect((await post('/api/runs/999999/approve')).status).toBe(404);
  });

  it('a bad body, parameter or query gets 400 with the reason', async () => {
    const bad = await post('/api/profiles/acme/sync', { dryRun: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(/dryRun/);
    const extra = await post('/api/profiles/acme/sync', { dryRun: true, everything: 1 });
    expect(extra.status).toBe(400);
    expect(extra.json<{ message: string }>().message).toMatch(/everything/);
    expect((await get('/api/profiles/ACME!/status')).status).toBe(400);
    const q = await get('/api/profiles/acme/runs?status=bogus');
    expect(q.status).toBe(400);
    expect(q.json<{ message: string }>().message).toMatch(/status/);
    expect((await get('/api/runs/1/failures?pageSize=100000')).status).toBe(400);
    const notJson = await client.call('POST', '/api/profiles/acme/sync', {
      headers: { ...token, 'content-type': 'application/json' },
    });
    expect([400, 415]).toContain(notJson.status);
    expect(notJson.text).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('sync now answers 202 with the run, and returns the run already waiting or active instead of a second', async () => {
    env.pds.control.setFaults({ latencyMs: 30 }); // the run is still going when the second click comes
    const first = await post('/api/profiles/acme/sync', {});
    const second = await post('/api/profiles/acme/sync', { deep: false });
    env.pds.control.setFaults({ latencyMs: 0 });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const a = first.json<{ runId: string; existing: boolean }>();
    expect(a.existing).toBe(false);
    expect(second.json()).toEqual({ runId: a.runId, existing: true });
    const report = await finishedRun(a.runId);
    expect(report.status).toBe('succeeded');
    expect(report.actors?.startedBy).toBe('token:ci');
  });

  it('GET status shows the last sync, the next run, the live runs and the held runs', async () => {
    const s = (await get('/api/profiles/acme/status')).json<{
      lastSync: { status: string } | null;
      live: unknown[];
      nextRun: unknown;
      held: unknown[];
    }>();
    expect(s.lastSync?.status).toBe('succeeded');
    expect(s.live).toEqual([]);
    expect(s.nextRun).toBeNull(); // schedule.mode manual
    expect(s.held).toEqual([]);
  });

  it('the config check runs as a job on a worker, and GET /api/checks/:id gives its result', async () => {
    const r = await post('/api/profiles/acme/check');
    expect(r.status).toBe(202);
    const { checkId } = r.json<{ checkId: string }>();
    expect((await web.queue.getJob(checkId))?.name).toBe('config-check');
    await until(
      async () => (await get(`/api/checks/${checkId}`)).json<{ state: string }>().state === 'completed',
      'the check',
      60_000,
      50,
    );
    const c = (await get(`/api/checks/${checkId}`)).json<{
      profileId: string;
      result: { ok: boolean; items: { code: string; title: string; detail: string }[] };
    }>();
    expect(c.profileId).toBe('acme');
    expect(c.result.ok).toBe(true);
    // each item keeps its stable code and is worded in the request's language (the config's zh-CN)
    const pds = c.result.items.find((i) => i.code === 'pds_credentials');
    expect(pds?.title).toBe('PDS 凭证');
    expect(pds?.detail).toMatch(/^JWT 应用 \S+ 验证通过（角色 superadmin）$/);
    const run = (await get('/api/profiles/acme/runs')).json<{ items: { runId: string }[] }>();
    expect((await get(`/api/checks/${run.items[0]?.runId ?? ''}`)).status).toBe(404); // a run is not a check
  });

  it('GET failures lists a run’s failures, searched and paged', async () => {
    const hires = [0, 1, 2].map(() => {
      const h = env.dingtalk.control.mutate({ op: 'hire' });
      if (h.op !== 'hire') throw new Error('no hire');
      return h;
    });
    env.pds.control.seed({
      users: hires.map((h) => ({
        user_id: `dt_${h.userid}`,
        nick_name: 'by hand',
        role: 'user',
        status: 'enabled',
      })),
    });
    const run = await syncAndWait();
    expect(run.status).toBe('succeeded_with_errors');
    const page = (await get(`/api/runs/${run.runId}/failures?pageSize=2`)).json<{
      items: { reason?: { code: string; text: string } }[];
      total: number;
    }>();
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]?.reason?.code).toBe('UserIdTaken');
    const first = hires[0]!.userid;
    const found = (await get(`/api/runs/${run.runId}/failures?q=${encodeURIComponent(first)}`)).json<{
      items: { pdsUserId: string }[];
    }>();
    expect(found.items.map((f) => f.pdsUserId)).toEqual([`dt_${first}`]);
  });

  it('approve and reject decide held runs, each recording who acted', async () => {
    const users = env.dingtalk.control.org().users;
    env.dingtalk.control.mutate({ op: 'leave', userid: users[0]!.userid });
    const held = await syncAndWait();
    expect(held.status).toBe('held');
    const approve = await post(`/api/runs/${held.runId}/approve`);
    expect(approve.status).toBe(202);
    const a = approve.json<{ approvalRunId: string; actors: { approvedBy: string } }>();
    expect(a.actors.approvedBy).toBe('token:ci');
    expect((await web.history.get(held.runId))?.actors?.approvedBy).toBe('token:ci');
    const approval = await finishedRun(a.approvalRunId);
    expect(approval.status).toBe('succeeded_with_errors'); // the hand-made id conflicts remain
    expect(approval.counts.disabled).toBe(1);
    expect(approval.actors?.startedBy).toBe('token:ci');
    expect((await post(`/api/runs/${held.runId}/approve`)).status).toBe(409);

    env.dingtalk.control.mutate({ op: 'leave', userid: users[1]!.userid });
    const held2 = await syncAndWait();
    expect(held2.status).toBe('held');
    const session = await client.csrfSession();
    const reject = await client.call('POST', `/api/runs/${held2.runId}/reject`, {
      headers: session,
      body: {},
    });
    expect(reject.status).toBe(200);
    expect(reject.json<{ status: string; actors: { rejectedBy: string } }>()).toMatchObject({
      status: 'rejected',
      actors: { rejectedBy: 'admin' },
    });
    expect((await web.history.get(held2.runId))?.actors?.rejectedBy).toBe('admin');
    const again = await post(`/api/runs/${held2.runId}/reject`);
    expect(again.status).toBe(409);
    expect(again.json<{ error: string; message: string }>()).toEqual({
      error: 'conflict',
      message: `同步 ${held2.runId} 不在待审批状态（已拒绝）`,
    });
  });

  it('GET runs is paged and filtered by status; GET a run gives its report', async () => {
    const all = (await get('/api/profiles/acme/runs?pageSize=2')).json<{
      items: { runId: string }[];
      total: number;
      page: number;
    }>();
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(4);
    const page2 = (await get('/api/profiles/acme/runs?pageSize=2&page=2')).json<{
      items: { runId: string }[];
    }>();
    expect(page2.items[0]?.runId).not.toBe(all.items[0]?.runId);
    const rejected = (await get('/api/profiles/acme/runs?status=rejected')).json<{
      items: { status: string }[];
    }>();
    expect(rejected.items.map((r) => r.status)).toEqual(['rejected']);
    const two = (await get('/api/profiles/acme/runs?status=rejected,held')).json<{
      items: { status: string }[];
    }>();
    expect(new Set(two.items.map((r) => r.status))).toEqual(new Set(['rejected', 'held']));
    const one = await get(`/api/runs/${all.items[0]?.runId ?? ''}`);
    expect(one.status).toBe(200);
    expect(one.json<RunSummary>().profileId).toBe('acme');
  });

  it('the pages render the run list by status and a run with its failures searched, in zh-CN and en', async () => {
    const auth = { authorization: basic() };
    const list = await client.call('GET', '/profiles/acme/runs?status=rejected', { headers: auth });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toContain('text/html');
    expect(list.text).toContain('已拒绝');
    expect(list.text).not.toContain('同步成功</td>');
    const runs = (await get('/api/profiles/acme/runs?status=succeeded_with_errors')).json<{
      items: { runId: string }[];
    }>();
    const runId = runs.items.at(-1)?.runId ?? '';
    const failed = (await get(`/api/runs/${runId}/failures`)).json<{ items: { dingtalkUserId: string }[] }>();
    const who = failed.items[0]?.dingtalkUserId ?? '?';
    const page = await client.call('GET', `/runs/${runId}?list=failures&q=${who}`, { headers: auth });
    expect(page.text).toContain('导入失败');
    expect(page.text).toContain('原因');
    // the reason in the console's words (zh-CN), its code beside it
    expect(page.text).toContain('用户 ID 已被非同步创建的用户占用 (UserIdTaken)');
    const none = await client.call('GET', `/runs/${runId}?list=failures&q=no-such-person`, { headers: auth });
    expect(none.text).toContain('没有记录');
    const english = await client.call('GET', `/runs/${runId}?lang=en`, { headers: auth });
    expect(english.text).toContain('Failed records');
    expect(english.text).toContain('the user id is taken by a user this sync does not manage');
    expect(english.headers.get('set-cookie')).toContain('lang=en');
  });

  it('GET /api/workers lists the workers online', async () => {
    const w = (await get('/api/workers')).json<{ count: number; workers: { name: string }[] }>();
    expect(w.count).toBe(1);
    expect(w.workers[0]?.name).toContain('sync');
  });

  it('the queue dashboard lists the sync queue and its completed jobs', async () => {
    const r = await client.call('GET', '/admin/queues/api/queues?activeQueue=sync&status=completed', {
      headers: { authorization: basic() },
    });
    expect(r.status).toBe(200);
    expect(r.text).toContain('"name":"sync"');
    expect(r.text).toContain('sync-run');
  });

  it('job data holds no names, phones or emails, and return values no unmasked phone or email', async () => {
    const jobs = await web.queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed']);
    expect(jobs.length).toBeGreaterThan(3);
    const allowed = new Set(['profileId', 'trigger', 'dryRun', 'deep', 'approvedRunId', 'slot', 'actor']);
    const users = env.dingtalk.control.org().users;
    const personal = users
      .flatMap((u) => [u.mobile, u.email, u.org_email])
      .filter((v): v is string => v !== undefined);
    expect(personal.length).toBeGreaterThan(10);
    for (const job of jobs) {
      for (const key of Object.keys(job.data)) expect(allowed).toContain(key);
      const data = JSON.stringify(job.data);
      for (const u of users) expect(data).not.toContain(u.name);
      const result = JSON.stringify(job.returnvalue ?? null);
      for (const p of personal) expect(result).not.toContain(p);
    }
  });

  it('a run’s job returns its summary alone: no change, failure, held person or re-entry', async () => {
    const jobs = (await web.queue.getJobs(['completed'])).filter((j) => j.name === 'sync-run');
    expect(jobs.length).toBeGreaterThan(3);
    const users = env.dingtalk.control.org().users;
    for (const job of jobs) {
      const r = job.returnvalue as Record<string, unknown> & { held?: Record<string, unknown> };
      expect(r.runId).toBe(String(job.id));
      expect(r).toHaveProperty('counts');
      for (const key of ['changes', 'failures', 'reentries']) expect(r).not.toHaveProperty(key);
      if (r.held !== undefined) expect(r.held).not.toHaveProperty('changes');
      const text = JSON.stringify(r);
      for (const u of users) expect(text).not.toContain(`"${u.name}"`);
    }
    // the queue's event stream carries the same return values
    const events = await env.redis.xrange(web.queue.keys.events ?? '', '-', '+');
    const completed = events.flatMap(([, fields]) => {
      const i = fields.indexOf('returnvalue');
      return fields[fields.indexOf('event') + 1] === 'completed' && i >= 0 ? [fields[i + 1] ?? ''] : [];
    });
    expect(completed.length).toBeGreaterThan(3);
    for (const text of completed) {
      expect(text).not.toMatch(/"(changes|failures|reentries)":/);
      for (const u of users) expect(text).not.toContain(`"${u.name}"`);
    }
  });

  it('no answer holds a configured secret (web password, token, DingTalk secret, PDS key)', () => {
    const secrets = [
      WEB_PASSWORD,
      WEB_TOKEN,
      env.dingtalk.appSecret,
      testKeyPair().privateKeyPem.split('\n')[1] ?? 'x',
    ];
    expect(client.answers.length).toBeGreaterThan(30);
    for (const answer of client.answers) for (const s of secrets) expect(answer).not.toContain(s);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { WebClient } from '../helpers/web-client.js';
import { WEB_SECTION, basic, startWebHere, type WebUnderTest } from '../helpers/web.js';

let env: SimEnv;
const opened: { web: WebUnderTest; cleanup: () => void }[] = [];

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 2, users: 5, departments: 1 } }, name: 'web-dash' });
});

afterAll(async () => {
  for (const o of opened) {
    await o.web.close();
    o.cleanup();
  }
  await env.close();
});

async function openConsole(readOnly: boolean): Promise<{ web: WebUnderTest; client: WebClient }> {
  const cfg = writeServiceConfig(env, { web: { ...WEB_SECTION, dashboard: { readOnly } } });
  const web = await startWebHere(env, cfg.path);
  opened.push({ web, cleanup: cfg.cleanup });
  return { web, client: new WebClient(web.url) };
}

describe('the queue dashboard at /admin/queues', () => {
  it('is read-only by default: its write actions are refused', async () => {
    const { web, client } = await openConsole(true);
    const session = await client.csrfSession();
    const queues = await client.call('GET', '/admin/queues/api/queues', { headers: session });
    expect(queues.status).toBe(200);
    expect(queues.text).toContain('"readOnlyMode":true');
    const pause = await client.call('PUT', '/admin/queues/api/queues/sync/pause', { headers: session });
    expect(pause.status).toBe(405);
    expect(await web.queue.isPaused()).toBe(false);
  });

  it('the console warns when no sync worker is online', async () => {
    const { client } = await openConsole(true);
    const page = await client.call('GET', '/', { headers: { authorization: basic() } });
    expect(page.text).toContain('banner warn');
    expect(page.text).toContain('没有在线的同步进程');
  });

  it('with readOnly false its write actions work, CSRF-protected like the rest', async () => {
    const { web, client } = await openConsole(false);
    const session = await client.csrfSession();
    const { 'x-csrf-token': token, ...noToken } = session;
    expect(
      (await client.call('PUT', '/admin/queues/api/queues/sync/pause', { headers: noToken })).status,
    ).toBe(403);
    const evil = await client.call('PUT', '/admin/queues/api/queues/sync/pause', {
      headers: { ...session, origin: 'http://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(await web.queue.isPaused()).toBe(false);
    // bull-board's UI (axios) sends the XSRF-TOKEN cookie back as X-XSRF-TOKEN
    const ok = await client.call('PUT', '/admin/queues/api/queues/sync/pause', {
      headers: { ...noToken, 'x-xsrf-token': token ?? '' },
    });
    expect(ok.status).toBe(200);
    expect(await web.queue.isPaused()).toBe(true);
    await web.queue.resume();
  });
});

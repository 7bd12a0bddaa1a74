import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { testRedisUrl } from '../helpers/redis.js';
import { seededState, startTenantsWeb, tenantId, type TenantsWeb } from '../helpers/tenants-web.js';
import { WebClient } from '../helpers/web-client.js';
import { basic, bearer } from '../helpers/web.js';

/*
 * A deployment of a thousand profiles (issue 30, item 4): the console, its API and `dtsync
 * status` show a page of them at a time, filter them by state and count them by state, so an
 * operator finds the failed ones without a page of a thousand cards. The states come from
 * seededState: by the tenant number's last digit, 100 never ran, 100 failed, 100 are held,
 * 100 have a queued run and 600 succeeded.
 */

const COUNT = 1000;
let t: TenantsWeb;
let client: WebClient;

/** The tenants in `state`, in config order. */
const inState = (state: string) =>
  Array.from({ length: COUNT }, (_, k) => k + 1)
    .filter((i) => seededState(i) === state)
    .map(tenantId);

/** The profiles whose cards a console page shows, in order. */
const cards = (pageHtml: string) =>
  [...pageHtml.matchAll(/<section class="card profile" data-profile="([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  t = await startTenantsWeb('many-profiles', COUNT);
  client = new WebClient(t.web.url);
}, 120_000);

afterAll(async () => {
  await t.close();
});

const page = (query: string) => client.call('GET', `/${query}`, { headers: { authorization: basic() } });

describe('the console of a thousand profiles', () => {
  it('shows one page of profiles, page N holding the Nth twenty in config order', async () => {
    const third = await page('?page=3');
    expect(third.status).toBe(200);
    expect(cards(third.text)).toEqual(Array.from({ length: 20 }, (_, k) => tenantId(41 + k)));
    const last = await page('?page=50');
    expect(cards(last.text)).toEqual(Array.from({ length: 20 }, (_, k) => tenantId(981 + k)));
    expect(last.text).toContain('rel="prev"');
    expect(last.text).not.toContain('rel="next"');
  });

  it('keeps its answer small: twenty cards, not a thousand', async () => {
    const first = await page('');
    expect(cards(first.text)).toHaveLength(20);
    // one card is about 2 KB; the whole list would be some 2 MB
    expect(first.text.length).toBeLessThan(100_000);
  });

  it('filters by state, and pages within the filter', async () => {
    const failed = inState('failed');
    const second = await page('?status=failed&page=2');
    expect(cards(second.text)).toEqual(failed.slice(20, 40));
    const held = await page('?status=held&pageSize=50');
    expect(cards(held.text)).toEqual(inState('held').slice(0, 50));
    const either = await page('?status=never,running');
    expect(cards(either.text)).toEqual(
      Array.from({ length: COUNT }, (_, k) => k + 1)
        .filter((i) => ['never', 'running'].includes(seededState(i)))
        .slice(0, 20)
        .map(tenantId),
    );
  });

  it('offers each filter with its count of profiles, whatever the filter shown', async () => {
    const { text } = await page('?status=failed');
    const count = (state: string) =>
      new RegExp(`data-state="${state}"[^>]*>[^<(]*\\((\\d+)\\)`).exec(text)?.[1];
    expect(count('failed')).toBe('100');
    expect(count('held')).toBe('100');
    expect(count('running')).toBe('100');
    expect(count('never')).toBe('100');
    expect(count('succeeded')).toBe('600');
  });

  it('refuses an unknown state rather than showing everything', async () => {
    expect((await page('?status=broken')).status).toBe(400);
  });
});

describe('GET /api/status', () => {
  it('answers one page of profile states, with counts by state', async () => {
    const r = await client.call('GET', '/api/status?status=held&page=5&pageSize=10', {
      headers: { authorization: bearer() },
    });
    expect(r.status).toBe(200);
    const body = r.json<{
      items: { id: string; state: string; heldRunId: string | null }[];
      total: number;
      counts: Record<string, number>;
    }>();
    expect(body.items.map((x) => x.id)).toEqual(inState('held').slice(40, 50));
    expect(body.items.every((x) => x.state === 'held' && x.heldRunId === `${x.id}-r1`)).toBe(true);
    expect(body.total).toBe(100);
    expect(body.counts).toEqual({
      running: 100,
      held: 100,
      failed: 100,
      succeeded_with_errors: 0,
      succeeded: 600,
      never: 100,
      rejected: 0,
      superseded: 0,
    });
    // a page of at most 200 states, never the whole deployment
    expect(r.text.length).toBeLessThan(10_000);
  });

  it('caps the page size', async () => {
    const r = await client.call('GET', '/api/status?pageSize=1000', { headers: { authorization: bearer() } });
    expect(r.status).toBe(400);
  });
});

describe('dtsync status with a thousand profiles', () => {
  const cli = (args: readonly string[]) =>
    runCli(['status', '--config', t.configPath, ...args], {
      ...t.vars,
      REDIS_URL: testRedisUrl(),
      DTSYNC_LANG: 'en',
    });

  it('--summary counts the profiles in each state', async () => {
    const r = await cli(['--summary', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { total: number; counts: Record<string, number> };
    expect(out.total).toBe(COUNT);
    expect(out.counts).toMatchObject({ failed: 100, held: 100, running: 100, never: 100, succeeded: 600 });
    const text = await cli(['--summary']);
    expect(text.stdout).toContain('1000 profiles, by state:');
    expect(text.stdout).toMatch(/\(failed\): 100/);
  }, 60_000);

  it('--status, --limit and --page show one page of the profiles in those states', async () => {
    const r = await cli(['--status', 'failed', '--limit', '5', '--page', '2', '--json']);
    expect(r.code).toBe(0);
    const shown = (JSON.parse(r.stdout) as { profileId: string }[]).map((x) => x.profileId);
    expect(shown).toEqual(inState('failed').slice(5, 10));
    const text = await cli(['--limit', '20', '--page', '50']);
    expect(text.stdout).toContain('(profiles 981–1000 of 1000: --page for others)');
    expect(text.stdout).toContain(tenantId(981));
    expect(text.stdout).not.toContain(tenantId(980));
  }, 60_000);

  it('refuses an unknown state', async () => {
    const r = await cli(['--status', 'broken']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('running, held, failed');
  }, 60_000);
});

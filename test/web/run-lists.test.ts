import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ListRow } from '../../src/report/list-rows.js';
import { parseCsv } from '../helpers/csv.js';
import { seedEntry, seedOrg, seedPhone, seedRun, type SeedOrg } from '../helpers/run-seed.js';
import { writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, startWebHere, WEB_SECTION, type WebUnderTest } from '../helpers/web.js';

/**
 * The console at the size of a real company: a held run of 20,000 disables and a change log of
 * thousands, stored through the project's own storage code, read a page at a time.
 */

let env: SimEnv;
let web: WebUnderTest;
let cleanup: () => void;
let org: SeedOrg;

const HELD = 20_000;
const ENTRIES = 3_000;
const FAIL_EVERY = 10;
/** Names a spreadsheet would run as formulas, and one with a quote and a comma. */
const ODD_NAMES: Readonly<Record<number, string>> = {
  3: '=SUM(A1:A9)',
  6: '+86 张三',
  12: '-1+1',
  14: '@cmd',
  15: '张"三,李四',
};

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 31, users: 5, departments: 2 } }, name: 'run-lists' });
  const cfg = writeServiceConfig(env, { web: WEB_SECTION });
  cleanup = cfg.cleanup;
  web = await startWebHere(env, cfg.path);
  org = seedOrg(HELD, { name: (i) => ODD_NAMES[i] });
  await seedRun(web.history, org, {
    runId: 'big',
    profileId: 'acme',
    startedAt: new Date('2026-12-01T02:00:00Z'),
    entries: ENTRIES,
    failEvery: FAIL_EVERY,
  });
  await seedRun(web.history, org, {
    runId: 'held20k',
    profileId: 'acme',
    startedAt: new Date('2026-12-02T02:00:00Z'),
    held: HELD,
  });
}, 120_000);

afterAll(async () => {
  await web.close();
  cleanup();
  await env.close();
});

const get = (path: string, lang = 'zh-CN') =>
  fetch(`${web.url}${path}`, { headers: { authorization: basic(), cookie: `lang=${lang}` } });

async function body(path: string, lang?: string): Promise<{ text: string; bytes: number }> {
  const res = await get(path, lang);
  expect(res.status).toBe(200);
  const buf = Buffer.from(await res.arrayBuffer());
  return { text: buf.toString('utf8'), bytes: buf.length };
}

const changes = () =>
  Array.from({ length: ENTRIES }, (_, i) => i)
    .filter((i) => i % FAIL_EVERY !== FAIL_EVERY - 1)
    .map((i) => seedEntry(org, i));

describe('with a 20,000-person held run', () => {
  it('the status API answer stays under 64 KiB, the hold counted', async () => {
    const { text, bytes } = await body('/api/profiles/acme/status');
    expect(bytes).toBeLessThan(64 * 1024);
    const s = JSON.parse(text) as { held: { runId: string; held: { total: number } }[] };
    expect(s.held[0]).toMatchObject({ runId: 'held20k', held: { total: HELD } });
    expect(text).not.toContain('员工19999');
  });

  it('the status page stays under 64 KiB, and links the held list', async () => {
    const { text, bytes } = await body('/');
    expect(bytes).toBeLessThan(64 * 1024);
    expect(text).toContain(`共 ${HELD} 项：禁用 ${HELD} 人`);
    expect(text).toContain('/runs/held20k?list=held#run-list');
  });

  it('the live poll reads the runs in the queue, never a report', async () => {
    const { text } = await body('/api/profiles/acme/live');
    expect(JSON.parse(text)).toEqual({ live: [] });
  });

  it('the held list pages and filters by department, with paths, not ids', async () => {
    const { text } = await body(
      `/api/runs/held20k/held?page=2&pageSize=50&department=${encodeURIComponent('事业部2')}`,
    );
    const p = JSON.parse(text) as { items: ListRow[]; more: boolean };
    expect(p.items).toHaveLength(50);
    expect(p.more).toBe(true);
    for (const r of p.items) expect(r.departments[0]).toMatch(/^总公司 \/ 事业部2 \/ 第\d+组$/);
  });
});

describe('the change log', () => {
  it('page N through the API holds the right entries, with field names in the reader’s language', async () => {
    const want = changes().slice(6 * 40, 7 * 40);
    const { text } = await body('/api/runs/big/changes?page=7&pageSize=40');
    const p = JSON.parse(text) as { items: ListRow[]; total: number };
    expect(p.items.map((r) => `${r.action}:${r.dingtalkUserId}`)).toEqual(
      want.map((c) => `${c.action.type}:${c.dingtalkUserId ?? ''}`),
    );
    expect(p.total).toBe(changes().length);
    const en = JSON.parse((await body('/api/runs/big/changes?page=1&pageSize=1', 'en')).text) as {
      items: ListRow[];
    };
    expect(en.items[0]?.fields.map((f) => f.label)).toEqual(['Name', 'Phone', 'Email']);
  });

  it('the run page shows one page of it, paged and filtered, departments as paths', async () => {
    const { text } = await body(`/runs/big?list=changes&page=3&action=update`);
    const updates = changes().filter((c) => c.action.type === 'update');
    const third = updates.slice(100, 150);
    const shown = (id: string | undefined) => text.includes(`</b> ${id ?? '?'} · dt_${id ?? '?'}</td>`);
    expect(third.every((c) => shown(c.dingtalkUserId))).toBe(true);
    expect(shown(updates[99]?.dingtalkUserId)).toBe(false);
    expect(shown(updates[150]?.dingtalkUserId)).toBe(false);
    expect(text).toContain('总公司 / 事业部');
    expect(text).toContain('姓名: 旧名 →');
    expect(text).not.toContain('nick_name');
    expect(text).toContain('rel="next"');
    expect(text).toContain('rel="prev"');
  });
});

describe('CSV exports', () => {
  it('open with the BOM, the listed columns, Chinese intact, phones masked, formulas escaped', async () => {
    const res = await get('/api/runs/big/changes?format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual([
      '时间',
      '操作',
      '姓名',
      '钉钉 userid',
      'PDS 用户 ID',
      '部门',
      '字段',
      '变更前',
      '变更后',
      '原因',
    ]);
    const data = rows.slice(1);
    expect(data.every((r) => r.length === 10)).toBe(true);
    // one line per changed field: a create changes three
    const lines = changes().reduce((n, c) => n + Math.max(1, Object.keys(c.fields ?? {}).length), 0);
    expect(data).toHaveLength(lines);
    const first = data.filter((r) => r[3] === 'u0');
    expect(first.map((r) => r[6])).toEqual(['姓名', '手机号', '邮箱']);
    expect(first[0]?.[2]).toBe('员工0');
    expect(first[0]?.[5]).toBe('总公司 / 事业部1 / 第1组');
    expect(first[0]?.[0]).toMatch(/^2026-12-01 10:00:00 GMT\+8$/);
    expect(first[1]?.[8]).toBe('139****0000');
    const text = bytes.toString('utf8');
    expect(text).not.toContain(seedPhone(0));
    expect(text).not.toContain('user0@example.com');
    // a cell a spreadsheet would run is prefixed with ', one with a quote or a comma is quoted
    for (const [i, name] of Object.entries(ODD_NAMES)) {
      const row = data.find((r) => r[3] === `u${i}`);
      expect(row?.[2]).toBe(/^[=+\-@]/.test(name) ? `'${name}` : name);
    }
    expect(text).toContain('"张""三,李四"');
  });

  it('exports the failures with their reasons, and the held list with its hold, filtered like the page', async () => {
    const failures = parseCsv((await body('/api/runs/big/failures?format=csv')).text.slice(1)).slice(1);
    expect(failures).toHaveLength(ENTRIES / FAIL_EVERY);
    expect(failures[0]?.[9]).toContain('AlreadyExist.Mobile');
    const held = parseCsv(
      (
        await body(`/api/runs/held20k/held?format=csv&department=${encodeURIComponent('总公司 / 事业部3')}`)
      ).text.slice(1),
    ).slice(1);
    expect(held).toHaveLength(HELD / 10);
    expect(held.every((r) => r[5]?.startsWith('总公司 / 事业部3 / ') === true && r[6] === '状态')).toBe(true);
    expect(held[0]?.[8]).toBe('禁用');
  });
});

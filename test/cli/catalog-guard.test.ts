import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { englishWords as detectEnglish } from '../helpers/english-words.js';
import { tempDir } from '../helpers/files.js';
import { startWorkerHere, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { basic, startWebHere, WEB_SECTION, webEnv, type WebUnderTest } from '../helpers/web.js';

/**
 * No operator text escapes the catalog: the real `dtsync` binary, in zh-CN (the default), on
 * the simulators and a real worker, says a config check, a config error, a held run with a
 * warning and a failed record, and its errors without an English word beyond identifiers; and
 * `--json` carries each stable code beside the words.
 */

/**
 * Words an operator may read inside Chinese text: identifiers of the config, the product and
 * the simulated org, not prose. Anything with a digit, `_`, `.`, `/`, `:`, `=`, brackets or an
 * inner capital (a path, a code, appKey, userids, URLs, times) is an identifier already.
 */
const ALLOWED = new Set([
  'acme', // the profile id
  'worker', // the role's name, beside its Chinese one: 同步进程（worker）
  'superadmin', // PDS's role name
  'mobile', // DingTalk's field name, as the console shows it: 字段 mobile（手机号）
  'email',
  'last', // a YAML value: "last"
  'auto',
  'weekly',
  'monthly',
  'none',
  'all',
  'departments',
  'Redis',
  'Lua', // the scripting language Redis runs, as in Lua 脚本
  'GMT', // the offset of a local time: GMT+8
  'English', // the console's language switch names the other language in its own words
]);

/** The English words of `text` that are not identifiers and not allowed. */
const englishWords = (text: string) => detectEnglish(text, ALLOWED);

let env: SimEnv;
let web: WebUnderTest;
let path: string;
const cleanups: (() => void | Promise<void>)[] = [];
/** Chinese: no DTSYNC_LANG, and the config's locale is the default zh-CN. */
let zh: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 29, users: 30, departments: 4 } }, name: 'guard' });
  // any disable is held, so a leaver makes a held run
  const cfg = writeServiceConfig(env, { web: WEB_SECTION, sync: { safety: { maxDisableCount: 0 } } });
  path = cfg.path;
  cleanups.push(cfg.cleanup);
  cleanups.push(await startWorkerHere(env, path));
  web = await startWebHere(env, path);
  cleanups.push(() => web.close());
  const { DTSYNC_LANG: _en, ...rest } = webEnv(env);
  zh = rest;
  const first = await runCli(['sync', 'acme', '--wait', '--config', path], zh);
  expect(first.code).toBe(0);
});

afterAll(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await env.close();
});

const dtsync = (...args: string[]) => runCli([...args, '--config', path], zh);

describe('operator text comes from the catalog', () => {
  it('the English-word detector finds English prose and lets identifiers through', () => {
    expect(englishWords('  ✗ 成员读取：缺少钉钉接口权限 qyapi_get_department_member [60011]')).toEqual([]);
    expect(englishWords('profiles[0].sync.schedule.hour：必须是 0 到 23 的整数 appKey dt_u1 GMT+8')).toEqual(
      [],
    );
    expect(englishWords('  ✗ member read: missing DingTalk permission')).toEqual([
      'member',
      'read',
      'missing',
      'permission',
    ]);
  });

  it('dtsync check speaks zh-CN from the catalog, and --json gives each item its stable code and state', async () => {
    env.dingtalk.control.setFaults({
      missingApiPermissions: ['qyapi_get_department_member'],
      missingFieldPermissions: ['phone'],
    });
    try {
      const human = await dtsync('check', 'acme');
      expect(human.code).toBe(1);
      expect(human.stdout).toContain(
        '✗ 成员读取（通讯录管理：qyapi_get_department_member）：缺少钉钉接口权限',
      );
      expect(englishWords(human.stdout + human.stderr)).toEqual([]);
      const json = await dtsync('check', 'acme', '--json');
      const result = JSON.parse(json.stdout) as {
        items: {
          level: string;
          code: string;
          state: string;
          params: Record<string, unknown>;
          title: string;
        }[];
      };
      expect(result.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            level: 'fail',
            code: 'perm_member',
            state: 'missing',
            params: { permission: 'qyapi_get_department_member' },
            title: '成员读取（通讯录管理：qyapi_get_department_member）',
          }),
          expect.objectContaining({ level: 'warn', code: 'field_mobile', state: 'missing' }),
        ]),
      );
    } finally {
      env.dingtalk.control.setFaults({ missingApiPermissions: [], missingFieldPermissions: [] });
    }
  });

  it('a config error speaks zh-CN, paths kept as written, and its JSON names each problem by code', async () => {
    const dir = tempDir();
    try {
      const broken = dir.write(
        'broken.yaml',
        `profiles:
  - id: BAD ID
    dingtalk: { appKey: k, appSecret: "\${NOT_SET_ANYWHERE}" }
    pds: { domainId: bj1, clientId: c, privateKeyFile: k.pem }
    sync: { schedule: { mode: auto, frequency: daily, hour: 25 }, colour: blue }
`,
      );
      const r = await runCli(['config', 'validate', '--config', broken], zh);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`配置文件 ${broken} 有错误：`);
      expect(r.stderr).toContain('profiles[0].sync.schedule.hour：必须是 0 到 23 的整数');
      expect(englishWords(r.stderr)).toEqual([]);
      const { error } = JSON.parse(r.stdout) as {
        error: { code: string; exitCode: number; problems: { path: string; code: string; params: object }[] };
      };
      expect(error.code).toBe('config_invalid');
      expect(error.exitCode).toBe(2);
      expect(error.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'profiles[0].id', code: 'profile_id' }),
          expect.objectContaining({
            path: 'profiles[0].dingtalk.appSecret',
            code: 'env_unset',
            params: { name: 'NOT_SET_ANYWHERE' },
          }),
          expect.objectContaining({
            path: 'profiles[0].sync.schedule.hour',
            code: 'range',
            params: { min: 0, max: 23 },
          }),
          expect.objectContaining({ path: 'profiles[0].sync.colour', code: 'unknown_key' }),
        ]),
      );
    } finally {
      dir.cleanup();
    }
  });

  it('a held run with a warning and a failed record reads in zh-CN everywhere; --json keeps the codes beside the words', async () => {
    const leaver = env.dingtalk.control.org().users[0];
    if (leaver === undefined) throw new Error('no users');
    env.dingtalk.control.mutate({ op: 'leave', userid: leaver.userid });
    const hire = env.dingtalk.control.mutate({ op: 'hire' });
    if (hire.op !== 'hire') throw new Error('no hire');
    // a user made by hand holds the new hire's id: that record fails
    env.pds.control.seed({
      users: [{ user_id: `dt_${hire.userid}`, nick_name: 'by hand', role: 'user', status: 'enabled' }],
    });
    env.dingtalk.control.setFaults({ missingFieldPermissions: ['phone'] });
    try {
      const held = await dtsync('sync', 'acme', '--wait');
      expect(held.code).toBe(4);
      const runId = held.stdout.split('\n')[0] ?? '';
      expect(held.stdout).toContain('暂停原因：本次同步将禁用或清空手机号/邮箱的用户有 1 人');
      expect(held.stdout).toContain(`禁用 ${leaver.name}（${leaver.userid}，`);
      expect(held.stdout).toContain('用户 ID 已被非同步创建的用户占用 [UserIdTaken]');
      expect(held.stdout).toContain('提示：钉钉应用可能无权读取手机号');
      expect(englishWords(held.stdout + held.stderr)).toEqual([]);
      for (const args of [
        ['runs', 'show', runId],
        ['runs', 'list', 'acme'],
        ['status', 'acme'],
      ]) {
        const r = await dtsync(...args);
        expect({ args, code: r.code }).toEqual({ args, code: 0 });
        expect({ args, english: englishWords(r.stdout + r.stderr) }).toEqual({ args, english: [] });
      }
      // the console's page of the run, in the config's zh-CN: its text, tags and attributes aside
      const page = await fetch(`${web.url}/runs/${runId}`, { headers: { authorization: basic() } });
      const text = (await page.text()).replace(/<script[\s\S]*?<\/script>|<[^>]*>/g, ' ');
      expect(englishWords(text)).toEqual([]);
      const json = JSON.parse((await dtsync('runs', 'show', runId, '--json')).stdout) as {
        heldReason: { code: string; params: Record<string, unknown>; text: string };
        warnings: { code: string; text: string }[];
        failures: { kind: string; code: string; text: string }[];
      };
      expect(json.heldReason).toMatchObject({
        code: 'disable_limit',
        params: { users: 1, maxCount: 0 },
        text: expect.stringMatching(/^本次同步将禁用/),
      });
      expect(json.warnings).toContainEqual({
        code: 'mobile_not_authorised',
        params: {},
        text: expect.stringMatching(/^钉钉应用可能无权读取手机号/),
      });
      expect(json.failures).toContainEqual(
        expect.objectContaining({
          kind: 'user_id_taken',
          code: 'UserIdTaken',
          text: '用户 ID 已被非同步创建的用户占用',
        }),
      );
    } finally {
      env.dingtalk.control.setFaults({ missingFieldPermissions: [] });
    }
  });

  it('errors speak zh-CN with stable codes: an unknown profile, an unreachable Redis', async () => {
    const unknown = await dtsync('sync', 'nope', '--json');
    expect(unknown.code).toBe(6);
    expect(unknown.stderr.trim()).toBe('错误：未知的同步配置 "nope"（已有：acme）');
    expect(JSON.parse(unknown.stdout)).toEqual({
      error: { code: 'unknown_profile', message: '未知的同步配置 "nope"（已有：acme）', exitCode: 6 },
    });
    const down = await runCli(['status', '--config', path], { ...zh, REDIS_URL: 'redis://127.0.0.1:9' });
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/^错误：无法连接 Redis（redis:\/\/127\.0\.0\.1:9，ECONNREFUSED）/);
    expect(englishWords(down.stderr)).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load.js';
import { configProblemLine } from '../../src/config/problems.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { translator } from '../../src/i18n/catalog.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const profile = (id: string, dingtalk: string) => `
  - id: ${id}
    dingtalk: { appSecret: s, ${dingtalk} }
    pds: { domainId: d-${id}, clientId: c, privateKey: k }`;

function load(...profiles: string[]) {
  const path = tmp.write(`q-${Math.random()}.yaml`, `profiles:${profiles.join('')}\n`);
  return loadConfig({ path, env: {} });
}

function issuesOf(...profiles: string[]): ConfigError {
  try {
    load(...profiles);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('the config loaded');
}

describe('dingtalk.monthlyQuota and dingtalk.meteredApis', () => {
  it('config refuses two profiles of one organisation with different quotas, naming both', () => {
    const err = issuesOf(
      profile('acme', 'appKey: app1, corpId: corp1, monthlyQuota: 10000'),
      profile('acme-hk', 'appKey: app2, corpId: corp1, monthlyQuota: 5000'),
    );
    expect(err.issues).toEqual([
      {
        path: 'profiles[1].dingtalk.monthlyQuota',
        code: 'org_setting_differs',
        params: { key: 'dingtalk.monthlyQuota', org: 'corp1', profiles: 'acme (10000), acme-hk (5000)' },
      },
    ]);
    const zh = configProblemLine(err.issues[0]!, translator('zh-CN'));
    expect(zh).toContain('同一钉钉组织（corp1）');
    expect(zh).toContain('acme (10000), acme-hk (5000)');
  });

  it('one app is one organisation: a profile without corpId joins the corpId its app names elsewhere', () => {
    const err = issuesOf(
      profile('a', 'appKey: app1, corpId: corp1, monthlyQuota: 10000'),
      profile('b', 'appKey: app1'),
    );
    expect(err.issues).toEqual([
      expect.objectContaining({
        path: 'profiles[1].dingtalk.monthlyQuota',
        params: expect.objectContaining({ org: 'corp1', profiles: 'a (10000), b (-)' }),
      }),
    ]);
  });

  it('metered APIs must agree too, in any order', () => {
    const ok = load(
      profile('a', 'appKey: app1, meteredApis: [/topapi/v2/user/list, /topapi/v2/department/listsub]'),
      profile('b', 'appKey: app1, meteredApis: [/topapi/v2/department/listsub, /topapi/v2/user/list]'),
    );
    expect(ok.config.profiles[1]?.dingtalk.meteredApis).toEqual([
      '/topapi/v2/department/listsub',
      '/topapi/v2/user/list',
    ]);
    expect(
      issuesOf(
        profile('a', 'appKey: app1, meteredApis: [/topapi/v2/user/list]'),
        profile('b', 'appKey: app1'),
      ).issues.map((i) => i.path),
    ).toEqual(['profiles[1].dingtalk.meteredApis']);
  });

  it('profiles of different organisations set their own quotas', () => {
    const { config } = load(
      profile('a', 'appKey: app1, monthlyQuota: 10000'),
      profile('b', 'appKey: app2, monthlyQuota: 5000'),
    );
    expect(config.profiles.map((p) => p.dingtalk.monthlyQuota)).toEqual([10000, 5000]);
  });

  it('a metered API is a path', () => {
    expect(issuesOf(profile('a', 'appKey: app1, meteredApis: [user/list]')).issues).toEqual([
      { path: 'profiles[0].dingtalk.meteredApis[0]', code: 'api_path', params: {} },
    ]);
  });
});

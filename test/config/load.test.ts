import { afterAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const base = (profiles: string) => `
redis: { url: redis://127.0.0.1:6379 }
profiles:
${profiles}`;

const profile = (id: string, domain: string, extra = '') => `
  - id: ${id}
    dingtalk: { appKey: k-${id}, appSecret: "\${SECRET}" }
    pds: { domainId: ${domain}, clientId: c, privateKey: "\${KEY}" }
    sync:
      schedule: { mode: auto, frequency: daily, hour: 3 }${extra}
`;

const env = { SECRET: 'top-secret-value', KEY: '-----BEGIN PRIVATE KEY-----x' };

function problemsOf(yaml: string, e: NodeJS.ProcessEnv = env): string[] {
  const path = tmp.write(`c-${Math.random()}.yaml`, yaml);
  try {
    loadConfig({ path, env: e });
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('config', () => {
  it('an invalid config lists every problem with its path', () => {
    const problems = problemsOf(
      base(
        profile('Bad_Id', 'bj1') +
          profile('ok', 'bj2').replace('hour: 3', 'hour: 24') +
          profile('typo', 'bj3').replace('syncPhone', 'x').replace('sync:', 'sync:\n      syncPhnoe: true'),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^profiles\[0\]\.id: must be 1-40 characters/),
        'profiles[1].sync.schedule.hour: must be 0-23',
        'profiles[2].sync.syncPhnoe: unknown key (check its spelling)',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('an unset variable is an error naming it', () => {
    expect(problemsOf(base(profile('a', 'bj1')), { KEY: 'k' })).toEqual([
      'profiles[0].dingtalk.appSecret: environment variable SECRET is not set',
    ]);
  });

  it('two profiles on one PDS domain are rejected; sharing a DingTalk app is fine', () => {
    const shared = profile('a', 'bj1') + profile('b', 'bj1');
    expect(problemsOf(base(shared))).toEqual([
      expect.stringMatching(
        /^profiles\[1\]\.pds\.domainId: PDS domain "bj1" is already synced by profiles\[0\]/,
      ),
    ]);
    expect(problemsOf(base(profile('a', 'bj1') + profile('b', 'bj2')))).toEqual([]);
  });

  it('duplicate profile ids are rejected', () => {
    expect(problemsOf(base(profile('a', 'bj1') + profile('a', 'bj2')))).toEqual([
      'profiles[1].id: duplicates profiles[0].id "a"',
    ]);
  });

  it('schedule fields required by the frequency are enforced', () => {
    const weekly = profile('a', 'bj1').replace('frequency: daily', 'frequency: weekly');
    const monthly = profile('b', 'bj2').replace('frequency: daily', 'frequency: monthly');
    expect(problemsOf(base(weekly + monthly))).toEqual([
      'profiles[0].sync.schedule.weekday: required when frequency is weekly (0-6)',
      'profiles[1].sync.schedule.dayOfMonth: required when frequency is monthly (1-31 or "last")',
    ]);
  });

  it('the web password is needed only by the web role', () => {
    const yaml = `web: { port: 8080, auth: { username: admin, password: "\${WEBPW}" } }\n${base(profile('a', 'bj1'))}`;
    const path = tmp.write('web.yaml', yaml);
    const loaded = loadConfig({ path, env });
    expect(loaded.notes).toEqual([
      { path: 'web.auth.password', code: 'env_unset_web', params: { name: 'WEBPW' } },
    ]);
    expect(() => loadConfig({ path, env, requireWeb: true })).toThrow(
      /web\.auth\.password: environment variable WEBPW is not set/,
    );
  });

  it('secrets never show when the config is printed, logged or inspected', () => {
    const path = tmp.write('s.yaml', base(profile('a', 'bj1')));
    const { config } = loadConfig({ path, env });
    const p = config.profiles[0];
    expect(p?.dingtalk.appSecret.reveal()).toBe('top-secret-value');
    for (const text of [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(p?.dingtalk.appSecret),
    ]) {
      expect(text).not.toContain('top-secret-value');
      expect(text).not.toContain('BEGIN PRIVATE KEY');
    }
  });

  it('defaults are filled and the result is frozen', () => {
    const path = tmp.write('d.yaml', base(profile('a', 'bj1')));
    const { config } = loadConfig({ path, env });
    const p = config.profiles[0];
    expect(p?.pds.baseUrl).toBe('https://bj1.api.aliyunpds.com');
    expect(p?.sync.safety).toEqual({
      maxDisableCount: 500,
      maxDisablePercent: 10,
      maxSourceDropPercent: 20,
      minOverlapPercent: 50,
      holdOnScopeChange: true,
      holdMode: 'disables',
    });
    expect(p?.sync.schedule.timezone).toBe('Asia/Shanghai');
    expect(config.redis.prefix).toBe('{dtsync}');
    expect(Object.isFrozen(config.profiles)).toBe(true);
  });

  it('a missing file and broken YAML are clear errors', () => {
    expect(() => loadConfig({ path: '/nonexistent/x.yaml', env })).toThrow(
      /cannot read the config file \(ENOENT\)/,
    );
    expect(problemsOf('profiles: [\n')).toEqual([expect.stringMatching(/^YAML: /)]);
  });
});

describe('the web: section', () => {
  const tmp2 = tempDir();
  afterAll(() => tmp2.cleanup());
  const p = (web: string) =>
    `${web}\nprofiles:\n  - id: a\n    dingtalk: { appKey: k, appSecret: s }\n    pds: { domainId: bj1, clientId: c, privateKey: k }\n`;

  it('defaults: host 127.0.0.1, dashboard read-only, locale zh-CN', () => {
    const { config } = loadConfig({
      path: tmp2.write('w1.yaml', p('web: { auth: { username: u, password: pw } }')),
      env: {},
    });
    expect(config.web?.host).toBe('127.0.0.1');
    expect(config.web?.dashboard.readOnly).toBe(true);
    expect(config.locale).toBe('zh-CN');
  });

  it('auth needs a user and password or a token', () => {
    expect(() =>
      loadConfig({ path: tmp2.write('w2.yaml', p('web: { auth: { username: u } }')), env: {} }),
    ).toThrow(/web\.auth/);
    const { config } = loadConfig({
      path: tmp2.write('w3.yaml', p('web: { auth: { tokens: [{ name: ci, token: t }] } }')),
      env: {},
    });
    expect(config.web?.auth).not.toBe('none');
  });
});

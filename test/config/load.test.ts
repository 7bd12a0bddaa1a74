import { afterAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/config/load.js';
import { configProblemLine } from '../../src/config/problems.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { translator } from '../../src/i18n/catalog.js';
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

  it('two domain ids that differ only in case are refused as one domain', () => {
    const problems = problemsOf(base(profile('a', 'bj1') + profile('b', 'BJ1')));
    expect(problems).toEqual([
      expect.stringMatching(
        /^profiles\[1\]\.pds\.domainId: PDS domain "BJ1" is already synced by profiles\[0\]/,
      ),
    ]);
  });

  it('two domain ids behind one base URL are refused as one domain (host case, default port, trailing slash)', () => {
    const at = (id: string, domain: string, url: string) => profile(id, `${domain}, baseUrl: "${url}"`);
    const problems = problemsOf(
      base(at('a', 'bj1', 'https://pds.example.com') + at('b', 'bj2', 'https://PDS.Example.com:443/')),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^profiles\[1\]\.pds\.baseUrl: PDS domain "https:\/\/PDS\.Example\.com:443\/" is already synced by profiles\[0\]/,
      ),
    ]);
    // an explicit URL that is a domain's default endpoint is that domain
    expect(problemsOf(base(profile('a', 'bj1') + at('b', 'bj9', 'https://BJ1.api.aliyunpds.com/')))).toEqual([
      expect.stringMatching(/^profiles\[1\]\.pds\.baseUrl: PDS domain .* is already synced by profiles\[0\]/),
    ]);
    // other hosts, ports or paths are other domains
    expect(
      problemsOf(
        base(
          at('a', 'bj1', 'https://pds.example.com') +
            at('b', 'bj2', 'https://pds.example.com:8443') +
            at('c', 'bj3', 'https://pds.example.com/c'),
        ),
      ),
    ).toEqual([]);
  });

  it('one domain under two profiles names both profiles with the stable code, in either language', () => {
    const path = tmp.write('dup.yaml', base(profile('a', 'bj1') + profile('b', 'Bj1')));
    let caught: unknown;
    try {
      loadConfig({ path, env });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.issues).toEqual([
      { path: 'profiles[1].pds.domainId', code: 'duplicate_domain', params: { domainId: 'Bj1', other: 0 } },
    ]);
    const [issue] = e.issues;
    if (issue === undefined) throw new Error('no problem');
    const zh = configProblemLine(issue, translator('zh-CN'));
    expect(zh).toMatch(/^profiles\[1\]\.pds\.domainId.*PDS 域 "Bj1" 已由 profiles\[0\] 同步/);
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
      maxFirstRunUnmanaged: 20,
      holdMode: 'disables',
      absenceGraceHours: 24,
      // the disable budget follows the per-run limit: a day's is maxDisableCount, a week's twice it
      maxDisablesPerDay: 500,
      maxDisablesPerWeek: 1000,
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
      path: tmp2.write('w1.yaml', p('web: { auth: { username: u, password: pw-4e9a1c7b2d } }')),
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
      path: tmp2.write('w3.yaml', p(`web: { auth: { tokens: [{ name: ci, token: ${'t'.repeat(32)} }] } }`)),
      env: {},
    });
    expect(config.web?.auth).not.toBe('none');
  });
});

describe('the web: section refuses what can be guessed or misread', () => {
  const tmp3 = tempDir();
  afterAll(() => tmp3.cleanup());
  const p = (web: string) =>
    `${web}\nprofiles:\n  - id: a\n    dingtalk: { appKey: k, appSecret: s }\n    pds: { domainId: bj1, clientId: c, privateKey: k }\n`;
  const problems = (web: string, e: NodeJS.ProcessEnv = {}, requireWeb = false): string[] => {
    try {
      loadConfig({ path: tmp3.write(`w-${Math.random()}.yaml`, p(web)), env: e, requireWeb });
    } catch (err) {
      if (err instanceof ConfigError) return [...err.problems];
      throw err;
    }
    return [];
  };
  const LONG_TOKEN = 'x'.repeat(32);

  it('a web password under 12 characters fails validation, saying why; 12 is enough', () => {
    expect(problems('web: { auth: { username: u, password: eleven-char } }')).toEqual([
      expect.stringMatching(
        /^web\.auth\.password: too short: a console password needs at least 12 characters/,
      ),
    ]);
    expect(problems('web: { auth: { username: u, password: twelve-chars } }')).toEqual([]);
  });

  it('a weak password from the environment fails wherever it is set, and an unset one only where it is needed', () => {
    const web = 'web: { auth: { username: u, password: "${WEBPW}" } }';
    expect(problems(web, { WEBPW: 'short' })).toEqual([
      expect.stringMatching(/^web\.auth\.password: too short/),
    ]);
    expect(problems(web, { WEBPW: 'short' }, true)).toEqual([
      expect.stringMatching(/^web\.auth\.password: too short/),
    ]);
    expect(problems(web, {})).toEqual([]);
  });

  it('a token (console or metrics) under 32 characters fails validation', () => {
    expect(problems(`web: { auth: { tokens: [{ name: ci, token: ${'x'.repeat(31)} }] } }`)).toEqual([
      expect.stringMatching(
        /^web\.auth\.tokens\[0\]\.token: too short: a token needs at least 32 characters/,
      ),
    ]);
    expect(
      problems(
        `web: { metricsToken: short-prom-token, auth: { tokens: [{ name: ci, token: ${LONG_TOKEN} }] } }`,
      ),
    ).toEqual([expect.stringMatching(/^web\.metricsToken: too short: a token needs at least 32/)]);
  });

  it('a token entry that is a bare string says so, not "must be none or {username, password, tokens}"', () => {
    expect(problems(`web: { auth: { tokens: [${LONG_TOKEN}] } }`)).toEqual([
      'web.auth.tokens[0]: must be {name, token}, not a bare token: each token has a name, recorded as who acted',
    ]);
  });

  it('a half-set login names what is missing, inside the auth union', () => {
    expect(problems('web: { auth: { username: u } }')).toEqual(
      expect.arrayContaining(['web.auth.password: set username and password together']),
    );
    expect(problems('web: { auth: basic }')).toEqual([
      'web.auth: must be none or {username, password, tokens}',
    ]);
  });

  it("trustProxy takes true or the proxies' addresses and CIDR ranges, never a hop count", () => {
    const auth = 'auth: { username: u, password: twelve-chars }';
    expect(problems(`web: { trustProxy: true, ${auth} }`)).toEqual([]);
    expect(
      problems(`web: { trustProxy: [127.0.0.1, "10.0.0.0/8", "::1", "fd00::/8", loopback], ${auth} }`),
    ).toEqual([]);
    expect(problems(`web: { trustProxy: 1, ${auth} }`)).toEqual([
      expect.stringMatching(/^web\.trustProxy: must be true, false, or a list .*not a hop count/),
    ]);
    expect(problems(`web: { trustProxy: [127.0.0.1, "10.0.0.0/33", proxy.local], ${auth} }`)).toEqual([
      expect.stringMatching(/^web\.trustProxy\[1\]: must be an IP address or CIDR range/),
      expect.stringMatching(/^web\.trustProxy\[2\]: must be an IP address or CIDR range/),
    ]);
  });

  it('allowedHosts holds host names, without scheme or port', () => {
    const auth = 'auth: { username: u, password: twelve-chars }';
    expect(problems(`web: { allowedHosts: [dtsync_web, dtsync.internal], ${auth} }`)).toEqual([]);
    expect(problems(`web: { allowedHosts: ["http://dtsync.internal", "dtsync:8080"], ${auth} }`)).toEqual([
      'web.allowedHosts[0]: must be a host name without scheme or port, e.g. dtsync.internal',
      'web.allowedHosts[1]: must be a host name without scheme or port, e.g. dtsync.internal',
    ]);
  });
});

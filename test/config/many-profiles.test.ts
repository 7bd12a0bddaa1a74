import { afterAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { tempDir } from '../helpers/files.js';

/*
 * A deployment of a thousand profiles (issue 30, item 4) is written with YAML anchors: one
 * `safety` and one `schedule` named in every profile. yaml's default guard refused a hundred
 * aliases with an uncaught ReferenceError; an alias bomb must still be refused, as a config
 * problem.
 */

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const env = { SECRET: 'top-secret-value', KEY: '-----BEGIN PRIVATE KEY-----x' };

/** A thousand profiles whose schedule and safety are the first one's, by anchor and alias. */
function thousandProfiles(): string {
  const shared = (k: number) =>
    k === 0
      ? 'schedule: &daily { mode: auto, frequency: daily, hour: 2 }, safety: &safety { maxDisableCount: 50 }'
      : 'schedule: *daily, safety: *safety';
  const profiles = Array.from(
    { length: 1000 },
    (_, k) => `
  - id: corp-${k + 1}
    dingtalk: { appKey: app-${Math.floor(k / 10) + 1}, appSecret: "\${SECRET}" }
    pds: { domainId: tenant${k + 1}, clientId: c, privateKey: "\${KEY}" }
    sync: { ${shared(k)} }`,
  );
  return `redis: { url: redis://127.0.0.1:6379 }\nprofiles:${profiles.join('')}\n`;
}

describe('a config of a thousand profiles', () => {
  it('loads with one anchor named in every profile', () => {
    const path = tmp.write('thousand.yaml', thousandProfiles());
    const { config } = loadConfig({ path, env });
    expect(config.profiles).toHaveLength(1000);
    expect(config.profiles[999]?.sync.schedule).toMatchObject({ mode: 'auto', hour: 2 });
    expect(config.profiles[999]?.sync.safety.maxDisableCount).toBe(50);
  });

  it('still refuses an alias bomb, as a config problem', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${prev}`).join(', ')}]`);
    }
    const path = tmp.write('bomb.yaml', `${levels.join('\n')}\nprofiles: *i\n`);
    let thrown: unknown;
    try {
      loadConfig({ path, env });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.join('\n')).toMatch(/alias/i);
  });
});

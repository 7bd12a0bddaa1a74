import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { testKeyPair } from '../helpers/sims.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('dtsync config validate', () => {
  it('exits 0 on the shipped example with its documented variables and key file, and masks every secret', async () => {
    const example = tmp.write('dtsync.yaml', readFileSync('dtsync.config.example.yaml', 'utf8'));
    tmp.write('pds-jwt.pem', testKeyPair().privateKeyPem);
    const r = await runCli(['config', 'validate', '--config', example], {
      DINGTALK_APP_SECRET: 'app-secret-123',
      DTSYNC_WEB_PASSWORD: 'web-pw-456-7b1e',
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('app-secret-123');
    expect(r.stdout + r.stderr).not.toContain('web-pw-456-7b1e');
    const printed = JSON.parse(r.stdout) as { profiles: { id: string; dingtalk: { appSecret: string } }[] };
    expect(printed.profiles[0]?.id).toBe('acme');
    expect(printed.profiles[0]?.dingtalk.appSecret).toBe('***');
  });

  it('prints every error with its path and exits 2 on a broken config', async () => {
    const path = tmp.write(
      'broken.yaml',
      `profiles:
  - id: BAD ID
    dingtalk: { appKey: k, appSecret: "\${NOT_SET_ANYWHERE}" }
    pds: { domainId: bj1, clientId: c, privateKeyFile: k.pem }
    sync: { schedule: { mode: auto, frequency: daily, hour: 25 }, colour: blue }
  - id: second
    dingtalk: { appKey: k, appSecret: s }
    pds: { domainId: bj1, clientId: c, privateKeyFile: k.pem }
`,
    );
    const r = await runCli(['config', 'validate', '--config', path, '--lang', 'en']);
    expect(r.code).toBe(2);
    for (const line of [
      'profiles[0].id: must be 1-40 characters',
      'profiles[0].dingtalk.appSecret: environment variable NOT_SET_ANYWHERE is not set',
      'profiles[0].sync.schedule.hour: must be 0-23',
      'profiles[0].sync.colour: unknown key',
      'profiles[1].pds.domainId: PDS domain "bj1" is already synced by profiles[0]',
    ]) {
      expect(r.stderr).toContain(line);
    }
  });

  it.each([
    ['is missing', undefined, 'does not exist'],
    ['is not a key', 'hello', 'is not a PEM file'],
    ['holds the public half', 'public', 'not a private key'],
  ])(
    'a private key file that %s fails validation with exit 2, naming the file',
    async (_what, content, says) => {
      const dir = tempDir();
      try {
        const config = dir.write('dtsync.yaml', readFileSync('dtsync.config.example.yaml', 'utf8'));
        const key = content === 'public' ? testKeyPair().publicKeyPem : content;
        if (key !== undefined) dir.write('pds-jwt.pem', key);
        const r = await runCli(['config', 'validate', '--config', config], {
          DINGTALK_APP_SECRET: 's',
          DTSYNC_LANG: 'en',
        });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(
          `profiles[0].pds.privateKeyFile: PDS private key file ${dir.dir}/pds-jwt.pem`,
        );
        expect(r.stderr).toContain(says);
        expect(r.stderr).not.toMatch(/\n\s+at /);
      } finally {
        dir.cleanup();
      }
    },
  );

  it('every role refuses to start with a missing private key file: exit 2, naming the file, before Redis is touched', async () => {
    const dir = tempDir();
    try {
      const config = dir.write('dtsync.yaml', readFileSync('dtsync.config.example.yaml', 'utf8'));
      for (const role of ['worker', 'scheduler', 'start']) {
        const r = await runCli([role, '--config', config], {
          DINGTALK_APP_SECRET: 's',
          DTSYNC_WEB_PASSWORD: 'web-pw-456-7b1e',
          REDIS_URL: 'redis://127.0.0.1:1',
          DTSYNC_LANG: 'en',
        });
        expect({ role, code: r.code }).toEqual({ role, code: 2 });
        expect(r.stderr).toContain(`${dir.dir}/pds-jwt.pem does not exist`);
      }
    } finally {
      dir.cleanup();
    }
  });

  it('a weak web password fails `config validate` and every role that loads the config: exit 2, saying why', async () => {
    const dir = tempDir();
    try {
      const config = dir.write('dtsync.yaml', readFileSync('dtsync.config.example.yaml', 'utf8'));
      dir.write('pds-jwt.pem', testKeyPair().privateKeyPem);
      const weak = { DINGTALK_APP_SECRET: 's', DTSYNC_WEB_PASSWORD: 'admin123', DTSYNC_LANG: 'en' };
      for (const args of [['config', 'validate'], ['web'], ['worker']]) {
        const r = await runCli([...args, '--config', config], { ...weak, REDIS_URL: 'redis://127.0.0.1:1' });
        expect({ args, code: r.code }).toEqual({ args, code: 2 });
        expect(r.stderr).toContain(
          'web.auth.password: too short: a console password needs at least 12 characters',
        );
        expect(r.stdout + r.stderr).not.toContain('admin123');
      }
      // unset, it is no problem for `config validate` (only the web role needs it)
      const { DTSYNC_WEB_PASSWORD: _w, ...unset } = weak;
      expect((await runCli(['config', 'validate', '--config', config], unset)).code).toBe(0);
    } finally {
      dir.cleanup();
    }
  });

  it('a usage error exits 2', async () => {
    const r = await runCli(['config', 'validate', '--no-such-flag']);
    expect(r.code).toBe(2);
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('dtsync config validate', () => {
  it('exits 0 on the shipped example with its documented variables and masks every secret', async () => {
    const r = await runCli(['config', 'validate', '--config', 'dtsync.config.example.yaml'], {
      DINGTALK_APP_SECRET: 'app-secret-123',
      DTSYNC_WEB_PASSWORD: 'web-pw-456',
    });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('app-secret-123');
    expect(r.stdout + r.stderr).not.toContain('web-pw-456');
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
    const r = await runCli(['config', 'validate', '--config', path]);
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

  it('a usage error exits 2', async () => {
    const r = await runCli(['config', 'validate', '--no-such-flag']);
    expect(r.code).toBe(2);
  });
});

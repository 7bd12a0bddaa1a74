import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startPdsSimulatorForCli } from '../../../sim/pds/cli.js';
import { DTSYNC, ROOT } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/files.js';
import { control, JWT_BEARER, signAssertion, tokenRequest } from '../../helpers/pds-sim-raw.js';

const tmp = tempDir('dtsync-pds-cli-');
afterAll(() => tmp.cleanup());

const baseOptions = { users: 1, departments: 1, seed: 1 };

/** A token request signed with the key file the CLI wrote. */
async function tokenWith(info: { url: string; domainId: string; clientId: string; privateKeyFile: string }) {
  return tokenRequest(info.url, {
    client_id: info.clientId,
    grant_type: JWT_BEARER,
    assertion: await signAssertion(info, {}, readFileSync(info.privateKeyFile, 'utf8')),
  });
}

describe('dtsync simulate --pds', () => {
  it('writes a fresh PKCS#8 private key (mode 0600) to --key-dir, whose public half the simulator accepts; --pds-qps and --domain-id apply', async () => {
    const running = await startPdsSimulatorForCli({
      ...baseOptions,
      keyDir: `${tmp.dir}/keys`,
      pdsQps: 7,
      domainId: 'cli1',
    });
    try {
      const { info } = running;
      expect(info).toMatchObject({
        domainId: 'cli1',
        clientId: 'dtsync-sim-app',
        privateKeyFile: `${tmp.dir}/keys/pds-sim-private.pem`,
      });
      expect(statSync(info.privateKeyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(info.privateKeyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect((await tokenWith(info)).status).toBe(200);
      expect((await control(info.url, 'GET', '/_sim/faults')).body.qps).toBe(7);
    } finally {
      await running.close();
    }
    expect(existsSync(`${tmp.dir}/keys/pds-sim-private.pem`)).toBe(true); // a given dir is kept
  });

  it('without --key-dir uses a temp dir, removed on close', async () => {
    const running = await startPdsSimulatorForCli(baseOptions);
    const dir = dirname(running.info.privateKeyFile);
    expect(existsSync(running.info.privateKeyFile)).toBe(true);
    expect(running.info.domainId).toBe('sim1');
    await running.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('the real binary prints the URL, clientId, domainId and key path, serves tokens, and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [DTSYNC, 'simulate', '--pds', '--json', '--key-dir', `${tmp.dir}/bin-keys`],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('close', () => reject(new Error('exited before printing')));
    });
    const { pds } = JSON.parse(line) as {
      pds: { url: string; domainId: string; clientId: string; privateKeyFile: string };
    };
    expect((await tokenWith(pds)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

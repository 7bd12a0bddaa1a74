import { spawn } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { DTSYNC, ROOT } from '../../helpers/cli.js';

describe('dtsync simulate --dingtalk', () => {
  it('starts a generated org and prints the URL and credentials', async () => {
    const child = spawn(
      process.execPath,
      [DTSYNC, 'simulate', '--dingtalk', '--users', '2000', '--departments', '120', '--seed', '1'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Ctrl-C stops.')) resolve(stdout);
      });
      child.once('close', () => reject(new Error(`exited early: ${stdout}${stderr}`)));
    });
    try {
      const m = /DingTalk simulator: (http:\/\/127\.0\.0\.1:\d+) {2}appKey=(\S+) {2}appSecret=(\S+)/.exec(
        line,
      );
      expect(m).not.toBeNull();
      const [, url, appKey, appSecret] = m!;
      // the printed credentials work, and the org has the requested size
      const token = (await (
        await fetch(`${url}/gettoken?appkey=${appKey}&appsecret=${encodeURIComponent(appSecret!)}`)
      ).json()) as { access_token?: string };
      expect(token.access_token).toEqual(expect.any(String));
      const org = (await (await fetch(`${url}/_sim/org`)).json()) as {
        users: unknown[];
        departments: unknown[];
      };
      expect([org.users.length, org.departments.length]).toEqual([2000, 120]);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

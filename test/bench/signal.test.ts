import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ROOT } from '../helpers/cli.js';

/** Gone means no /proc entry: the bench waited for (and so reaped) every child before exiting. */
const gone = (pid: number) => !existsSync(`/proc/${pid}`);

describe('npm run bench', () => {
  it('a SIGTERM to the bench stops its workers, simulators and private Redis before it exits', async () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    const bench = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'bench/main.ts'),
        ...['--users', '200', '--departments', '10', '--dingtalk-qps', '50', '--pds-qps', '50'],
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => bench.once('close', (code) => resolve(code)));
    const ready = await new Promise<RegExpExecArray | undefined>((resolve) => {
      bench.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /child pids ([\d ]+); redis (\d+)/.exec(stderr);
        if (m !== null) resolve(m);
      });
      bench.once('close', () => resolve(undefined));
    });
    expect(ready).toBeDefined();
    const children = (ready?.[1] ?? '').trim().split(' ').map(Number);
    const redis = Number(ready?.[2]);
    // the DingTalk simulator, one PDS simulator, one worker
    expect(children).toHaveLength(3);
    expect([...children, redis].every((pid) => !gone(pid))).toBe(true);

    bench.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr).toContain('SIGTERM: stopping 3 child process(es)');
    expect([...children, redis].filter((pid) => !gone(pid))).toEqual([]);
  });
});

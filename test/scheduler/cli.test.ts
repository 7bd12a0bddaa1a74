import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { DTSYNC, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';
import { dropPrefix, testRedis, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { schedulerYaml } from '../helpers/schedule.js';
import type { LogLine } from '../helpers/scheduler-log.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A port nothing listens on: bound by us, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const acme = { acme: { frequency: 'daily', hour: 3, delayMinutes: 7, timezone: 'UTC' } };

describe('dtsync scheduler', () => {
  it('exits 5 with one clear line and starts no Redis when REDIS_URL is unreachable', async () => {
    const port = await closedPort();
    const url = `redis://127.0.0.1:${port}`;
    const config = tmp.write('unreachable.yaml', schedulerYaml(acme, { redisUrl: url }));
    const r = await runCli(['scheduler', '--config', config], { REDIS_URL: url });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // the config's locale: zh-CN by default
    expect(lines[0]).toMatch(
      new RegExp(`^错误：无法连接 Redis（${url}，.+）：请启动 Redis，或设置 REDIS_URL$`),
    );
    expect(await refused(port)).toBe(true);
  });

  it('a SIGHUP reloads the config: a changed hour is picked up, an invalid file keeps the schedule', async () => {
    const prefix = uniquePrefix('sched-cli');
    const write = (hour: number) =>
      tmp.write('hup.yaml', schedulerYaml({ acme: { ...acme.acme, hour } }, { prefix, catchUpHours: 0 }));
    const config = write(3);
    const child = spawn(process.execPath, [DTSYNC, 'scheduler', '--config', config], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: testRedisUrl(), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    const lines: LogLine[] = [];
    const waiters: { match: (l: LogLine) => boolean; resolve: () => void }[] = [];
    createInterface({ input: child.stderr }).on('line', (text) => {
      const line = JSON.parse(text) as LogLine;
      lines.push(line);
      for (const w of waiters.filter((x) => x.match(line))) w.resolve();
    });
    /** Resolves once a log line with this message has appeared `count` times. */
    const seen = (msg: string, count = 1) =>
      new Promise<void>((resolve) => {
        const enough = () => lines.filter((l) => l.msg === msg).length >= count;
        if (enough()) resolve();
        else waiters.push({ match: () => enough(), resolve });
      });
    const nextRuns = () =>
      lines.filter((l) => l.msg === 'next scheduled run').map((l) => String(l.nextRun).slice(10));

    try {
      await seen('started');
      expect(nextRuns()).toEqual(['T03:07:00.000Z']);

      write(5);
      child.kill('SIGHUP');
      await seen('config reloaded');
      expect(nextRuns()).toEqual(['T03:07:00.000Z', 'T05:07:00.000Z']);

      tmp.write('hup.yaml', 'profiles: []\n');
      child.kill('SIGHUP');
      await seen('config reload failed: keeping the current schedule');
      expect(lines.filter((l) => l.msg === 'config reloaded')).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
      const redis = testRedis();
      await dropPrefix(redis, prefix);
      await redis.quit();
    }
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'shut down']));
  });
});

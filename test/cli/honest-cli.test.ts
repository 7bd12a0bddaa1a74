import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { producerConnection } from '../../src/redis/connections.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { DTSYNC, ROOT, runCli, spawnCli } from '../helpers/cli.js';
import { serviceEnv, startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/**
 * The CLI tells the truth and never waits in silence: against a real Redis, the simulators,
 * a real worker and the real `dtsync` binary.
 */

let env: SimEnv;
let queue: SyncQueue;
/** Closed after the whole file. */
const cleanups: (() => void | Promise<void>)[] = [];
/** Closed after each test of the first block (its workers run with broken configs). */
const perTest: (() => void | Promise<void>)[] = [];
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at /);
const oneLine = (s: string) => s.trim().split('\n');

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 13, users: 40, departments: 4 } }, name: 'honest' });
  const conn = producerConnection(process.env.REDIS_URL ?? '');
  queue = openSyncQueue(conn, env.prefix);
  cleanups.push(() => conn.disconnect());
});

afterAll(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await queue.close();
  await env.close();
});

function config(o: Parameters<typeof writeServiceConfig>[1] = {}): string {
  const cfg = writeServiceConfig(env, o);
  cleanups.push(cfg.cleanup);
  return cfg.path;
}

describe('no silent waits', () => {
  afterEach(async () => {
    for (const f of perTest.splice(0).reverse()) await f();
    await queue.obliterate({ force: true });
  });

  it('sync --wait with no worker online says so within 10 s, leaves the run queued, and exits 7', async () => {
    const path = config();
    const { child, result } = spawnCli(['sync', 'acme', '--wait', '--config', path], serviceEnv(env));
    // the 10 s are the wait's, from the moment it says the run is queued to its error line; the
    // process's start before that (seconds on a loaded machine) is not the wait's
    const seen: { queued?: number; error?: number } = {};
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      const now = Date.now();
      if (stderr.includes('queued, waiting for a sync worker')) seen.queued ??= now;
      if (stderr.includes('error: no sync worker is online')) seen.error ??= now;
    });
    const r = await result;
    expect(seen.queued).toBeDefined();
    expect((seen.error ?? Infinity) - (seen.queued ?? 0)).toBeLessThan(10_000);
    expect(r.code).toBe(7);
    const errors = oneLine(r.stderr).filter((l) => l.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: no sync worker is online: run \S+ stays queued/);
    noStack(r.stderr);
    const runId = r.stdout.trim();
    expect(await (await queue.getJob(runId))?.getState()).toBe('waiting');
  });

  it('Ctrl-C during --wait ends the wait, says the run goes on, and leaves it queued', async () => {
    const path = config();
    const { child, result } = spawnCli(
      ['sync', 'acme', '--wait', '--wait-for-worker', '--config', path],
      serviceEnv(env),
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(
      () => stderr.includes('queued, waiting for a sync worker'),
      'the wait to say the run is queued',
    );
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/stopped waiting: run \S+ goes on/);
    noStack(r.stderr);
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it('with DingTalk unreachable, --wait prints one line per failed attempt with the next attempt time, then exits 5', async () => {
    const closed = 'http://127.0.0.1:9';
    // a back-off longer than the wait's check, so the wait sees the retry waiting
    const path = config({
      dingtalk: { oapiBaseUrl: closed, apiBaseUrl: closed },
      runs: { attempts: 2, backoffSeconds: 8 },
    });
    perTest.push(await startWorkerHere(env, path));
    const r = await runCli(['sync', 'acme', '--wait', '--config', path], serviceEnv(env));
    expect(r.code).toBe(5);
    const attempts = r.stderr.split('\n').filter((l) => l.startsWith('attempt '));
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatch(
      /^attempt 1 of 2 failed: could not reach DingTalk .*; next attempt at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8$/,
    );
    expect(r.stdout).toMatch(/could not reach DingTalk/);
    noStack(r.stderr);
  }, 120_000);
});

describe('what the CLI says', () => {
  let runId = '';
  let path = '';

  beforeAll(async () => {
    // any disable is held: the held-run test below needs no config of its own (a worker never
    // runs a job asked with another config)
    path = config({ sync: { safety: { maxDisableCount: 0 } } });
    cleanups.push(await startWorkerHere(env, path));
    const r = await runCli(['sync', 'acme', '--wait', '--config', path], serviceEnv(env));
    expect(r.code).toBe(0);
    runId = r.stdout.split('\n')[0] ?? '';
    // progress reached a pipe too: at least one line, with the phase
    expect(r.stderr).toMatch(/^\S+: (reading DingTalk|reading PDS|planning|applying)/m);
  });

  it('speaks zh-CN by default, English with --lang en or DTSYNC_LANG=en', async () => {
    const { DTSYNC_LANG: _l, ...zhEnv } = serviceEnv(env);
    const zh = await runCli(['runs', 'show', runId, '--config', path], zhEnv);
    expect(zh.stdout).toContain(`同步 ${runId}（acme，手动）：同步成功`);
    const en = await runCli(['runs', 'show', runId, '--config', path, '--lang', 'en'], zhEnv);
    expect(en.stdout).toContain(`run ${runId} (acme, manual): succeeded`);
    const bad = await runCli(['runs', 'show', runId, '--config', path, '--lang', 'fr'], zhEnv);
    expect(bad.code).toBe(2);
  });

  it('human output shows times in the profile timezone with the offset; --json keeps ISO UTC', async () => {
    const human = await runCli(['runs', 'show', runId, '--config', path], serviceEnv(env));
    expect(human.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\+8 → /);
    const json = await runCli(['runs', 'show', runId, '--json', '--config', path], serviceEnv(env));
    expect((JSON.parse(json.stdout) as { startedAt: string }).startedAt).toMatch(/T.*Z$/);
  });

  it('runs list has a header and readable statuses', async () => {
    const r = await runCli(['runs', 'list', 'acme', '--config', path], serviceEnv(env));
    const [header, first] = r.stdout.split('\n');
    expect(header).toBe('RUN\tSTARTED\tTRIGGER\tSTATUS\tCREATED\tUPDATED\tDISABLED\tFAILED');
    expect(first?.split('\t')[3]).toBe('succeeded');
  });

  it('a dry run says what it would do', async () => {
    env.dingtalk.control.mutate({ op: 'hire' });
    const r = await runCli(['sync', 'acme', '--dry-run', '--wait', '--config', path], serviceEnv(env));
    expect(r.stdout).toContain('planned (dry run, nothing written): would create 1,');
  });

  it('a held run names the people it would disable; an approved run reads approved; rejecting twice says so and exits 0', async () => {
    const leaver = env.dingtalk.control.org().users[0];
    if (leaver === undefined) throw new Error('no users');
    env.dingtalk.control.mutate({ op: 'leave', userid: leaver.userid });
    const strict = path;
    const held = await runCli(['sync', 'acme', '--wait', '--config', strict], serviceEnv(env));
    expect(held.code).toBe(4);
    expect(held.stdout).toContain(`disable ${leaver.name} (${leaver.userid},`);
    const heldId = held.stdout.split('\n')[0] ?? '';
    const rejected = await runCli(['reject', heldId, '--config', strict], serviceEnv(env));
    expect(rejected.code).toBe(0);
    const again = await runCli(['reject', heldId, '--config', strict], serviceEnv(env));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already rejected');
    const held2 = await runCli(['sync', 'acme', '--wait', '--config', strict], serviceEnv(env));
    const heldId2 = held2.stdout.split('\n')[0] ?? '';
    expect((await runCli(['approve', heldId2, '--config', strict], serviceEnv(env))).code).toBe(0);
    const show = await runCli(['runs', 'show', heldId2, '--config', strict], serviceEnv(env));
    expect(show.stdout.split('\n')[0]).toMatch(/: approved$/);
  });

  it('a reader that closes the pipe early (| head -1) ends the command quietly with exit 0', async () => {
    const child = spawn(process.execPath, [DTSYNC, 'runs', 'show', runId, '--config', path], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...serviceEnv(env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before anything is written
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('a Redis URL with a password is masked wherever it is printed', async () => {
    const r = await runCli(['status', '--config', path], {
      ...serviceEnv(env),
      REDIS_URL: 'redis://:s3cret-pw@127.0.0.1:9',
    });
    expect(r.code).toBe(5);
    expect(r.stderr).not.toContain('s3cret-pw');
    expect(r.stderr).toContain('redis://:***@127.0.0.1:9');
  });
});

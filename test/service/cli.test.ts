import { userInfo } from 'node:os';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testKeyPair } from '../helpers/sims.js';
import { runCli } from '../helpers/cli.js';
import { serviceEnv, startWorkerHere, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

let env: SimEnv;
let cfg: { path: string; cleanup: () => void };
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 21, users: 80, departments: 6 } }, name: 'cli' });
  // any disable is held (maxDisableCount 0): the worker's config decides, not the CLI's
  cfg = writeServiceConfig(env, { keepRuns: 3, sync: { safety: { maxDisableCount: 0 } } });
  stopWorker = await startWorkerHere(env, cfg.path);
});

afterAll(async () => {
  await stopWorker();
  cfg.cleanup();
  await env.close();
});

const dtsync = (...args: string[]) => runCli([...args, '--config', cfg.path], serviceEnv(env));
const users = () => env.dingtalk.control.org().users;

describe('dtsync sync --wait exit codes', () => {
  it('exits 0 when the run succeeded', async () => {
    const r = await dtsync('sync', 'acme', '--wait');
    expect(r.stdout).toMatch(/\): succeeded$/m);
    expect(r.code).toBe(0);
  });

  it('exits 3 when the run succeeded with record errors, and prints each reason', async () => {
    const hire = env.dingtalk.control.mutate({ op: 'hire' });
    if (hire.op !== 'hire') throw new Error('no hire');
    env.pds.control.seed({
      users: [{ user_id: `dt_${hire.userid}`, nick_name: 'by hand', role: 'user', status: 'enabled' }],
    });
    const r = await dtsync('sync', 'acme', '--wait');
    // the person is named, with the reason worded and its code
    expect(r.stdout).toContain(
      `${hire.user.name} (${hire.userid}, ${String(env.dingtalk.control.org().departments.find((d) => d.dept_id === 1)?.name)}) create: the user id is taken by a user this sync does not manage [UserIdTaken]`,
    );
    expect(r.code).toBe(3);
  });

  it('exits 4 when the run is held for approval, and approve applies it', async () => {
    env.dingtalk.control.mutate({ op: 'leave', userid: users()[0]!.userid });
    const r = await dtsync('sync', 'acme', '--wait', '--json');
    expect(r.code).toBe(4);
    const report = JSON.parse(r.stdout) as { runId: string; status: string; heldReason: string };
    expect(report.status).toBe('held');
    const status = await dtsync('status', 'acme');
    expect(status.stdout).toContain(`awaiting approval: run ${report.runId}`);
    const approve = await dtsync('approve', report.runId, '--wait');
    expect(approve.stdout).toMatch(/\): succeeded with errors$/m); // the hand-made id conflict remains
    expect(approve.stdout).toContain('1 disabled');
    expect(approve.code).toBe(3);
    // who acted: the CLI records its OS user on the held run and on the run it started
    const history = new RunHistory(env.redis, new StateKeys(env.prefix), 100);
    const approved = await history.get(report.runId);
    expect(approved?.actors?.approvedBy).toBe(`cli:${userInfo().username}`);
    const approvalRunId = approved?.held?.resolution?.approvalRunId ?? '';
    expect((await history.get(approvalRunId))?.actors?.startedBy).toBe(`cli:${userInfo().username}`);
    expect((await dtsync('approve', report.runId)).code).toBe(1); // no longer awaiting approval
  });

  it('exits 1 when the run failed, naming the cause (a missing permission is not retried)', async () => {
    env.dingtalk.control.setFaults({ missingApiPermissions: ['qyapi_get_department_member'] });
    const r = await dtsync('sync', 'acme', '--wait');
    env.dingtalk.control.setFaults({ missingApiPermissions: [] });
    expect(r.stdout).toContain('qyapi_get_department_member');
    expect(r.code).toBe(1);
  });

  it('a dry run with --json prints the full plan and changes nothing', async () => {
    env.dingtalk.control.mutate({ op: 'hire' });
    const before = env.pds.control.state().users.length;
    const r = await dtsync('sync', 'acme', '--dry-run', '--wait', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { dryRun: boolean; changes: { action: { type: string } }[] };
    expect(report.dryRun).toBe(true);
    expect(report.changes.filter((c) => c.action.type === 'create')).toHaveLength(1);
    expect(env.pds.control.state().users.length).toBe(before);
  });
});

describe('operator commands', () => {
  it('status shows the last sync, and runs list / show the history, bounded by keepRuns', async () => {
    const status = await dtsync('status', 'acme', '--json');
    expect(status.code).toBe(0);
    const [s] = JSON.parse(status.stdout) as [
      { lastSync: { status: string; counts: { created: number } }; nextRun: string | null },
    ];
    expect(s.lastSync.status).toBe('failed');
    expect(s.nextRun).toBeNull(); // manual mode
    const list = await dtsync('runs', 'list', 'acme', '--json');
    const runs = JSON.parse(list.stdout) as { runId: string }[];
    expect(runs).toHaveLength(3);
    const show = await dtsync('runs', 'show', runs[0]!.runId);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`run ${runs[0]!.runId} (acme`);
    const table = await dtsync('runs', 'list', 'acme');
    expect(table.stdout.split('\n')[0]).toBe(
      'RUN\tSTARTED\tTRIGGER\tSTATUS\tCREATED\tUPDATED\tDISABLED\tFAILED',
    );
  });

  it('an unknown profile or run exits 6', async () => {
    expect((await dtsync('sync', 'nope')).code).toBe(6);
    expect((await dtsync('runs', 'show', 'no-such-run')).code).toBe(6);
  });

  it('check names a missing permission and an unauthorised field, with where to grant them, and exits 1', async () => {
    env.dingtalk.control.setFaults({
      missingApiPermissions: ['qyapi_get_department_member'],
      missingFieldPermissions: ['phone'],
    });
    const r = await dtsync('check', 'acme');
    env.dingtalk.control.setFaults({ missingApiPermissions: [], missingFieldPermissions: [] });
    expect(r.stdout).toContain(
      '✗ member read (通讯录管理: qyapi_get_department_member): missing DingTalk permission qyapi_get_department_member: grant it in the DingTalk developer console',
    );
    expect(r.stdout).toContain(
      '! field mobile: not authorised: mobile will be left as it is in PDS: grant 企业员工手机号信息',
    );
    expect(r.stdout).toContain(`https://${env.pds.domainId}.api.aliyunpds.com/v2/oauth/callback`);
    expect(r.code).toBe(1);
  });

  it('check passes on a healthy profile and estimates a full sync', async () => {
    const r = await dtsync('check', 'acme', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      ok: boolean;
      items: { level: string; code: string; state: string; title: string }[];
      scope: { users: number; departments: number };
      estimate: { dingtalkCalls: Record<string, number>; minutes: number };
    };
    expect(result.ok).toBe(true);
    // every item carries its stable code and state beside its words
    expect(result.items.find((i) => i.code === 'perm_member')).toMatchObject({
      level: 'ok',
      state: 'ok',
      title: 'member read (通讯录管理: qyapi_get_department_member)',
    });
    expect(result.scope.departments).toBe(6);
    expect(result.estimate.dingtalkCalls['/topapi/v2/department/listsub']).toBe(6);
  });

  it('the worker with an unreachable REDIS_URL exits 5 with one clear line and starts no Redis', async () => {
    const r = await runCli(['worker', '--config', cfg.path], {
      ...serviceEnv(env),
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(r.code).toBe(5);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: Redis at redis://127.0.0.1:1 is unreachable (ECONNREFUSED); start it or set REDIS_URL',
    ]);
  });

  it('no secret, token or unmasked phone number reaches Redis (job data, reports, history, state)', async () => {
    const values: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await env.redis.scan(cursor, 'MATCH', `${env.prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await env.redis.type(key);
        if (type === 'string') values.push((await env.redis.getBuffer(key))?.toString('latin1') ?? '');
        if (type === 'hash') values.push(JSON.stringify(await env.redis.hgetall(key)));
        if (type === 'list') values.push(JSON.stringify(await env.redis.lrange(key, 0, -1)));
        if (type === 'zset' || type === 'set')
          values.push(
            JSON.stringify(
              type === 'set' ? await env.redis.smembers(key) : await env.redis.zrange(key, '0', '-1'),
            ),
          );
        if (type === 'stream') values.push(JSON.stringify(await env.redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
    const all = values.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    expect(all).not.toContain(env.dingtalk.appSecret);
    expect(all).not.toContain(testKeyPair().privateKeyPem.split('\n')[1]!);
    for (const token of env.pds.control.secretsSeen().accessTokens) expect(all).not.toContain(token);
    for (const u of users()) if (u.mobile !== undefined) expect(all).not.toContain(u.mobile);
  });
});

import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import { runSync } from '../../src/engine/run-sync.js';
import { createLogger } from '../../src/process/logger.js';
import { RedisEgressPause } from '../../src/pacing/egress-pause.js';
import { RedisPacer } from '../../src/pacing/pacer.js';
import type { CreateUserRequest, PdsApi } from '../../src/pds/types.js';
import { StateKeys } from '../../src/state/keys.js';
import { engineFactory } from '../../src/worker/engine-deps.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { CHECK } from '../helpers/check.js';

const SMALL = { orgSpec: { seed: 9, users: 120, departments: 8 } };

let env: SimEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const org = (e: SimEnv) => structuredClone(e.dingtalk.control.org()) as Org;
const domain = (e: SimEnv) => e.pds.control.state() as Domain;

describe('apply is idempotent and never takes over what it does not manage', () => {
  it('writes answered 503 after they were applied are retried without a duplicate or a wrong failure', async () => {
    env = await startSims({ dingtalk: SMALL, name: '503' });
    env.pds.control.setFaults({
      failAfterApply: {
        count: 40,
        paths: ['/v2/user/create', '/v2/account/link', '/v2/group/create', '/v2/group/add_member'],
        status: 503,
      },
    });
    const report = await env.run(env.profile());
    expect(report.failures).toEqual([]);
    expect(report.status).toBe('succeeded');
    const d = domain(env);
    expect(checkDomain(org(env), d, CHECK)).toEqual([]);
    expect(d.users).toHaveLength(120);
    expect(env.pds.control.counters().byStatus['/v2/user/create']?.['503']).toBeGreaterThan(0);
  });

  it('a group create answered 503 before PDS applied it is made again once a listing shows it is not there', async () => {
    env = await startSims({ dingtalk: SMALL, name: 'group-503' });
    env.pds.control.setFaults({
      inject: { count: 2, paths: ['/v2/group/create'], status: 503, code: 'ServiceUnavailable' },
    });
    const report = await env.run(env.profile());
    expect(report.failures).toEqual([]);
    expect(report.status).toBe('succeeded');
    const d = domain(env);
    expect(checkDomain(org(env), d, CHECK)).toEqual([]);
    const markers = d.groups.map((g) => g.description);
    expect(new Set(markers).size).toBe(markers.length); // no group made twice
    expect(env.pds.control.counters().byStatus['/v2/group/create']?.['503']).toBe(2);
  });

  it('a user id already taken by a hand-made user fails that record and leaves the user alone', async () => {
    env = await startSims({ dingtalk: SMALL, name: 'taken' });
    const victim = org(env).users[0]!.userid;
    env.pds.control.seed({
      users: [{ user_id: `dt_${victim}`, nick_name: 'Hand made', role: 'user', status: 'enabled' }],
    });
    const before = JSON.stringify(domain(env).users.find((u) => u.user_id === `dt_${victim}`));
    const report = await env.run(env.profile());
    expect(report.status).toBe('succeeded_with_errors');
    expect(report.failures).toEqual([
      expect.objectContaining({
        dingtalkUserId: victim,
        pdsUserId: `dt_${victim}`,
        code: 'UserIdTaken',
        reason: `user id dt_${victim} taken by a user this sync does not manage`,
      }),
    ]);
    expect(JSON.stringify(domain(env).users.find((u) => u.user_id === `dt_${victim}`))).toBe(before);
    expect(report.counts.created).toBe(119);
  });

  it('a 409 from PDS on a create (a hand-made dt_ user made mid-run) is a failure, not a takeover', async () => {
    const e = (env = await startSims({ dingtalk: SMALL, name: '409' }));
    const victim = org(e).users[5]!.userid;
    const profile = e.profile();
    const engineFor = engineFactory({
      keepRuns: 10,
      redis: e.redis,
      keys: new StateKeys(e.prefix),
      pacer: new RedisPacer(e.redis, e.prefix),
      egress: new RedisEgressPause(e.redis, e.prefix, 300),
      log: e.log,
    });
    const deps = engineFor(profile, new AbortController().signal, () => undefined);
    // an admin creates the same id by hand between our snapshot and our create
    const createUser = async (req: CreateUserRequest, signal?: AbortSignal) => {
      if (req.user_id === `dt_${victim}`) {
        e.pds.control.seed({
          users: [{ user_id: req.user_id, nick_name: 'Raced by hand', role: 'user', status: 'enabled' }],
        });
      }
      return deps.pds.createUser(req, signal);
    };
    const racing = new Proxy(deps.pds, {
      get: (target, prop) => {
        if (prop === 'createUser') return createUser;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) satisfies PdsApi;
    const report = await runSync(
      { runId: 'r409', profile, trigger: 'manual', dryRun: false, deep: false },
      { ...deps, pds: racing },
    );
    expect(report.failures).toEqual([
      expect.objectContaining({
        pdsUserId: `dt_${victim}`,
        code: 'AlreadyExist.User',
        reason: `user id dt_${victim} taken by a user this sync does not manage`,
      }),
    ]);
    const raced = domain(e).users.find((u) => u.user_id === `dt_${victim}`);
    expect(raced).toMatchObject({ nick_name: 'Raced by hand', user_data: {} });
    expect(e.pds.control.state().links.filter((l) => l.user_id === `dt_${victim}`)).toEqual([]);
  });

  it('adoptExisting ding adopts the user the console’s own sync made, without a duplicate', async () => {
    env = await startSims({ dingtalk: SMALL, name: 'adopt' });
    const person = org(env).users[3]!;
    env.pds.control.seed({
      users: [
        {
          user_id: 'console-made-1',
          nick_name: person.name,
          role: 'user',
          status: 'enabled',
          user_data: { from: 'console' },
        },
      ],
      links: [{ user_id: 'console-made-1', type: 'ding', identity: person.unionid! }],
    });
    const report = await env.run(env.profile({ sync: { adoptExisting: 'ding' } }));
    expect(report.status).toBe('succeeded');
    expect(report.counts).toMatchObject({ adopted: 1, created: 119 });
    const users = domain(env).users;
    expect(users.find((u) => u.user_id === `dt_${person.userid}`)).toBeUndefined();
    expect(users.find((u) => u.user_id === 'console-made-1')?.user_data).toMatchObject({
      from: 'console',
      dtsync_profile: 'acme',
      dingtalk_userid: person.userid,
    });
  });

  it('a dry run reads both sides, reports the full plan and writes nothing', async () => {
    env = await startSims({ dingtalk: SMALL, name: 'dry' });
    const report = await env.run(env.profile(), { dryRun: true });
    expect(report.status).toBe('succeeded');
    expect(env.pds.control.counters().writes).toEqual({});
    expect(report.changes.filter((c) => c.action.type === 'create')).toHaveLength(120);
    expect(report.changes.filter((c) => c.action.type === 'createGroup')).toHaveLength(8);
    const phones = report.changes.flatMap((c) => (c.fields?.phone === undefined ? [] : [c.fields.phone[1]]));
    expect(phones.length).toBeGreaterThan(0);
    for (const p of phones) expect(p).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('each run writes one summary log line with its counts', async () => {
    const e = (env = await startSims({ dingtalk: SMALL, name: 'summary' }));
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    });
    const log = createLogger({ level: 'info', destination: sink, pretty: false });
    const profile = e.profile();
    const engineFor = engineFactory({
      keepRuns: 10,
      redis: e.redis,
      keys: new StateKeys(e.prefix),
      pacer: new RedisPacer(e.redis, e.prefix),
      egress: new RedisEgressPause(e.redis, e.prefix, 300),
      log,
    });
    await runSync(
      { runId: 'sum1', profile, trigger: 'manual', dryRun: false, deep: false },
      engineFor(profile, new AbortController().signal, () => undefined),
    );
    const summaries = lines
      .map((l) => JSON.parse(l) as { msg: string; runId?: string; counts?: { created: number } })
      .filter((l) => l.runId === 'sum1');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.msg).toMatch(/^sync run succeeded: 120 created, 0 updated, 0 disabled/);
    expect(summaries[0]?.counts?.created).toBe(120);
    const text = lines.join('\n');
    for (const u of org(e).users) if (u.mobile !== undefined) expect(text).not.toContain(u.mobile); // no phone in any log line
  });
});

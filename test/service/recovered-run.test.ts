import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import { producerConnection } from '../../src/redis/connections.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { spawnWorker, until, writeServiceConfig, stopChildren } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { CHECK } from '../helpers/check.js';

let env: SimEnv | undefined;
let queue: SyncQueue | undefined;
const children: ChildProcess[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  await stopChildren(children, 'SIGKILL');
  for (const f of cleanups.splice(0).reverse()) await f();
  await queue?.close();
  queue = undefined;
  await env?.close();
  env = undefined;
});

describe('a run recovered after its worker was killed', () => {
  it("reports what the run did across its attempts: the killed attempt's writes are counted, and it says it was recovered from attempt 1", async () => {
    const e = (env = await startSims({
      dingtalk: { orgSpec: { seed: 3, users: 200, departments: 10 } },
      name: 'recovered',
    }));
    const conn = producerConnection(process.env.REDIS_URL ?? '');
    cleanups.push(() => conn.disconnect());
    const q = (queue = openSyncQueue(conn, e.prefix));
    const keys = new StateKeys(e.prefix);
    const history = new RunHistory(e.redis, keys, 100);
    const cfg = writeServiceConfig(e, { lockSeconds: 2, concurrency: 1 });
    cleanups.push(cfg.cleanup);
    const writes = () => e.pds.control.counters().writes;

    e.pds.control.setFaults({ latencyMs: 15 }); // slow enough to be killed mid-apply
    const a = spawnWorker(e, cfg.path);
    children.push(a);
    const { runId } = await enqueueManual(q, 'acme', { dryRun: false, deep: false });
    await until(() => (writes()['/v2/user/create'] ?? 0) >= 30, 'the first creates');

    // PDS stops answering (nothing lands from here on), then the worker dies once it has
    // stored its record of everything that landed: the kill loses no answered write
    e.pds.control.setFaults({ latencyMs: 60_000 });
    const landed = { ...writes() };
    await until(async () => {
      const stored = await e.redis.hget(keys.runAttempts(runId), '1');
      if (stored === null) return false;
      const c = JSON.parse(stored) as Record<string, number>;
      return (
        c.created === (landed['/v2/user/create'] ?? 0) && c.linksAdded === (landed['/v2/account/link'] ?? 0)
      );
    }, "the killed attempt's record of every landed write");
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    expect(await history.get(runId)).toBeUndefined();

    e.pds.control.setFaults({ latencyMs: 0 });
    children.push(spawnWorker(e, cfg.path));
    await until(
      async () => (await history.get(runId))?.status === 'succeeded',
      'the recovered run to finish',
      90_000,
      100,
    );
    const report = await history.get(runId);
    const d = e.pds.control.state() as Domain;
    expect(report?.recovered).toMatchObject({ attempt: 2, fromAttempts: [1] });
    expect(report?.recovered?.earlier.created).toBe(landed['/v2/user/create']);
    // every user, group and link in PDS was made by this run, once: the counts are the work done
    expect(report?.counts.created).toBe(200);
    expect(d.users).toHaveLength(200);
    expect(report?.counts.groupsCreated).toBe(d.groups.length);
    expect(report?.counts.linksAdded).toBe(d.links.length);
    // the change log of the run lists every create once: both attempts' chunks are kept
    const log = await history.changes(runId);
    const created = log.filter((c) => c.action.type === 'create').map((c) => c.pdsUserId);
    expect(created).toHaveLength(200);
    expect(new Set(created).size).toBe(200);
    expect(checkDomain(structuredClone(e.dingtalk.control.org()) as Org, d, CHECK)).toEqual([]);
  });
});

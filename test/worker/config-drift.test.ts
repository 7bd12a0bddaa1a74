import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { profileFingerprint } from '../../src/config/fingerprint.js';
import { loadConfig } from '../../src/config/load.js';
import { producerConnection } from '../../src/redis/connections.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { serviceEnv, spawnWorker, until, writeServiceConfig, stopChildren } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

let env: SimEnv | undefined;
let queue: SyncQueue | undefined;
const children: ChildProcess[] = [];
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  await stopChildren(children);
  for (const f of cleanups.splice(0).reverse()) await f();
  await queue?.close();
  queue = undefined;
  await env?.close();
  env = undefined;
});

async function setup(name: string) {
  const e = (env = await startSims({ dingtalk: { orgSpec: { seed: 9, users: 40, departments: 4 } }, name }));
  const conn = producerConnection(process.env.REDIS_URL ?? '');
  cleanups.push(() => conn.disconnect());
  const q = (queue = openSyncQueue(conn, e.prefix));
  const history = new RunHistory(e.redis, new StateKeys(e.prefix), 100);
  const cfg = writeServiceConfig(e);
  cleanups.push(cfg.cleanup);
  const fingerprint = () => {
    const p = loadConfig({ path: cfg.path, env: { ...process.env, ...serviceEnv(e) } }).config.profiles[0];
    if (p === undefined) throw new Error('no profile');
    return profileFingerprint(p);
  };
  return { e, q, history, cfg, fingerprint };
}

/** Quick retries, so a test does not wait for the production back-off. */
const quickRetries = { attempts: 20, backoff: { type: 'fixed', delay: 200 } } as const;

describe('a worker never runs a job with another version of the config', () => {
  it('a job asked with another config fails as config_mismatch naming both fingerprints, is retried, and runs once the worker reloads on SIGHUP', async () => {
    const { e, q, history, cfg, fingerprint } = await setup('drift');
    const old = fingerprint();
    // the operator narrows a safety limit and asks for a run before the worker has reloaded
    const narrowed = parse(readFileSync(cfg.path, 'utf8')) as {
      profiles: { sync: Record<string, unknown> }[];
    };
    const before = readFileSync(cfg.path, 'utf8');
    narrowed.profiles[0]!.sync = { safety: { maxDisableCount: 3 } };
    writeFileSync(cfg.path, stringify(narrowed));
    const asked = fingerprint();
    writeFileSync(cfg.path, before);
    expect(asked).not.toBe(old);

    const worker = spawnWorker(e, cfg.path);
    children.push(worker);
    const job = await q.add(
      'sync-run',
      { profileId: 'acme', trigger: 'manual', dryRun: false, deep: false, configFingerprint: asked },
      quickRetries,
    );
    const runId = String(job.id);
    await until(async () => (await history.get(runId))?.error?.code === 'config_mismatch', 'the refusal');
    const refused = await history.get(runId);
    expect(refused?.status).toBe('failed');
    expect(refused?.error?.message).toContain(asked);
    expect(refused?.error?.message).toContain(old);
    expect(refused?.error?.permanent).toBe(false);
    expect(e.pds.control.counters().writes).toEqual({});

    writeFileSync(cfg.path, stringify(narrowed));
    worker.kill('SIGHUP');
    await until(async () => (await history.get(runId))?.status === 'succeeded', 'the run after the reload');
    expect((await history.get(runId))?.configFingerprint).toBe(asked);
  });

  it('a job for a profile the worker does not know is recorded as a failed run, not lost', async () => {
    const { e, q, history, cfg } = await setup('ghost');
    children.push(spawnWorker(e, cfg.path));
    const job = await q.add(
      'sync-run',
      { profileId: 'ghost', trigger: 'manual', dryRun: false, deep: false },
      quickRetries,
    );
    const runId = String(job.id);
    await until(async () => (await job.getState()) === 'failed', 'the job to fail');
    const report = await history.get(runId);
    expect(report).toMatchObject({ runId, profileId: 'ghost', status: 'failed' });
    expect(report?.error).toMatchObject({ code: 'unknown_profile', permanent: true });
    expect((await q.getJob(runId))?.attemptsMade).toBe(1);
  });
});

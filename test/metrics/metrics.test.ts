import { afterEach, describe, expect, it } from '@jest/globals';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { producerConnection } from '../../src/redis/connections.js';
import { METRICS } from '../../src/metrics/names.js';
import { metricsText } from '../../src/metrics/registry.js';
import { enqueueManual } from '../../src/queue/enqueue.js';
import { openSyncQueue, type SyncQueue } from '../../src/queue/queue.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { serviceEnv, startWorkerHere, until, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

let env: SimEnv | undefined;
const cleanups: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
  await env?.close();
  env = undefined;
});

/** A "web process": its own Redis connection and queue, reading the metrics only from Redis. */
function webProcess(config: Config): { scrape: () => Promise<string> } {
  const conn = producerConnection(process.env.REDIS_URL ?? '');
  const queue: SyncQueue = openSyncQueue(conn, config.redis.prefix);
  cleanups.push(async () => {
    await queue.close();
    conn.disconnect();
  });
  return { scrape: () => metricsText(conn, queue, config) };
}

const family = (fams: ParsedFamily[], name: string) => fams.find((f) => f.name === name);
const sample = (fams: ParsedFamily[], name: string, labels: Record<string, string>) =>
  family(fams, name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
const value = (fams: ParsedFamily[], name: string, labels: Record<string, string>) =>
  Number(sample(fams, name, labels)?.value ?? NaN);

/** Every sample line must be `name{label="v",...} number` (the exposition grammar, strictly). */
const SAMPLE_LINE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(, ?)?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;

async function setup(name: string) {
  const e = (env = await startSims({ dingtalk: { orgSpec: { seed: 5, users: 60, departments: 5 } }, name }));
  const cfg = writeServiceConfig(e, {
    sync: { schedule: { mode: 'auto', frequency: 'daily', hour: 3, timezone: 'Asia/Shanghai' } },
  });
  cleanups.push(cfg.cleanup);
  const { config } = loadConfig({ path: cfg.path, env: { ...process.env, ...serviceEnv(e) } });
  cleanups.push(await startWorkerHere(e, cfg.path));
  const conn = producerConnection(process.env.REDIS_URL ?? '');
  const queue = openSyncQueue(conn, e.prefix);
  cleanups.push(async () => {
    await queue.close();
    conn.disconnect();
  });
  const history = new RunHistory(e.redis, new StateKeys(e.prefix), 100);
  return { e, config, queue, history };
}

describe('metrics', () => {
  it('after a run the text parses as Prometheus exposition, and the run counter, the changes and the last-success gauge move', async () => {
    const { config, queue, history } = await setup('metrics-run');
    const web = webProcess(config);
    const before = parsePrometheusTextFormat(await web.scrape());
    expect(sample(before, METRICS.runs.name, { profile: 'acme', status: 'succeeded' })).toBeUndefined();
    expect(value(before, METRICS.runs.name, { profile: 'acme', trigger: 'schedule', status: 'failed' })).toBe(
      0,
    );
    expect(sample(before, METRICS.lastSuccess.name, { profile: 'acme' })).toBeUndefined();
    expect(value(before, METRICS.schedulePeriod.name, { profile: 'acme' })).toBe(86_400);

    const { runId } = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
    await until(async () => (await history.get(runId))?.status === 'succeeded', 'the run');
    const report = await history.get(runId);
    const runs = { profile: 'acme', trigger: 'manual', status: 'succeeded' };
    let text = '';
    await until(async () => {
      text = await web.scrape();
      return value(parsePrometheusTextFormat(text), METRICS.runs.name, runs) === 1;
    }, 'the run counted');
    for (const line of text.split('\n'))
      if (line !== '' && !line.startsWith('#')) expect(line).toMatch(SAMPLE_LINE);
    const after = parsePrometheusTextFormat(text);
    expect(value(after, METRICS.changes.name, { profile: 'acme', action: 'created' })).toBe(
      report?.counts.created,
    );
    expect(report?.counts.created).toBe(60);
    expect(value(after, METRICS.lastSuccess.name, { profile: 'acme' })).toBe(
      Math.floor(Date.parse(report?.finishedAt ?? '') / 1000),
    );
    expect(value(after, METRICS.runsHeld.name, { profile: 'acme' })).toBe(0);
    expect(value(after, METRICS.workersOnline.name, {})).toBe(1);
    const ok = { service: 'pds', api: '/v2/user/create', outcome: 'ok' };
    expect(value(after, METRICS.remoteCalls.name, ok)).toBe(60);
    expect(value(after, METRICS.remoteCalls.name, { service: 'dingtalk', outcome: 'ok' })).toBeGreaterThan(0);
    // the parser drops a labelled histogram's count: read those lines as text
    expect(family(after, METRICS.runDuration.name)?.type).toBe('HISTOGRAM');
    const d = METRICS.runDuration.name;
    expect(text).toContain(`${d}_count{profile="acme",trigger="manual"} 1\n`);
    expect(text).toContain(`${d}_bucket{profile="acme",trigger="manual",le="+Inf"} 1\n`);
    expect(text).toMatch(new RegExp(`${d}_sum\\{profile="acme",trigger="manual"\\} [0-9.]+\n`));
    expect(family(after, 'bullmq_job_count')?.metrics.length).toBeGreaterThan(0);

    // a second run moves the counter and the gauge on
    const second = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
    await until(async () => (await history.get(second.runId))?.status === 'succeeded', 'the second run');
    await until(
      async () => value(parsePrometheusTextFormat(await web.scrape()), METRICS.runs.name, runs) === 2,
      'the second run counted',
    );
    const last = parsePrometheusTextFormat(await web.scrape());
    const secondReport = await history.get(second.runId);
    expect(value(last, METRICS.lastSuccess.name, { profile: 'acme' })).toBe(
      Math.floor(Date.parse(secondReport?.finishedAt ?? '') / 1000),
    );
    expect(value(last, METRICS.changes.name, { profile: 'acme', action: 'created' })).toBe(60); // nothing new
  });

  it('no label holds a userid, a name, a phone or an email, and only declared labels appear', async () => {
    const { e, config, queue, history } = await setup('metrics-labels');
    const { runId } = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
    await until(async () => (await history.get(runId))?.status === 'succeeded', 'the run');
    const web = webProcess(config);
    let fams: ParsedFamily[] = [];
    await until(async () => {
      fams = parsePrometheusTextFormat(await web.scrape());
      return sample(fams, METRICS.runs.name, { profile: 'acme', status: 'succeeded' }) !== undefined;
    }, 'the run counted');
    const people = new Set<string>();
    for (const u of e.dingtalk.control.org().users)
      for (const v of [u.userid, u.unionid, u.name, u.mobile, u.email, u.org_email])
        if (typeof v === 'string' && v !== '') people.add(v);
    const declared = new Map<string, readonly string[]>(
      Object.values(METRICS).map((m) => [m.name, m.labels]),
    );
    for (const f of fams) {
      for (const m of f.metrics) {
        for (const [k, v] of Object.entries(m.labels ?? {})) {
          expect(people.has(v)).toBe(false);
          if (declared.has(f.name)) expect(declared.get(f.name)).toContain(k);
        }
      }
      if (f.name.startsWith('dtsync_')) {
        expect(declared.has(f.name)).toBe(true);
        expect(f.name.endsWith('_total')).toBe(f.type === 'COUNTER');
      }
    }
  });

  it('two web processes on the same Redis serve the same figures', async () => {
    const { config, queue, history } = await setup('metrics-two');
    const { runId } = await enqueueManual(queue, 'acme', { dryRun: false, deep: false });
    await until(async () => (await history.get(runId))?.status === 'succeeded', 'the run');
    const a = webProcess(config);
    const b = webProcess(config);
    await until(
      async () =>
        sample(parsePrometheusTextFormat(await a.scrape()), METRICS.runs.name, { status: 'succeeded' }) !==
        undefined,
      'the run counted',
    );
    const dtsyncOnly = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('dtsync_'))
        .join('\n');
    const [x, y] = await Promise.all([a.scrape(), b.scrape()]);
    expect(dtsyncOnly(x)).toContain('dtsync_runs_total');
    expect(dtsyncOnly(x)).toEqual(dtsyncOnly(y));
  });
});

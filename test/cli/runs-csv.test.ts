import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { runCli } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';
import { seedEntry, seedOrg, seedPhone, seedRun, type SeedOrg } from '../helpers/run-seed.js';
import { serviceEnv, writeServiceConfig } from '../helpers/service.js';
import { startSims, type SimEnv } from '../helpers/sims.js';

/** `dtsync runs show <runId> --csv changes|held|failures`: the console's CSV export on stdout. */

let env: SimEnv;
let cfg: { path: string; cleanup: () => void };
let org: SeedOrg;

beforeAll(async () => {
  env = await startSims({ dingtalk: { orgSpec: { seed: 37, users: 5, departments: 2 } }, name: 'runs-csv' });
  cfg = writeServiceConfig(env);
  const history = new RunHistory(env.redis, new StateKeys(env.prefix), 100);
  org = seedOrg(1_500, { name: (i) => (i === 7 ? '=cmd|"/c calc"!A1' : undefined) });
  const startedAt = new Date('2026-12-01T02:00:00Z');
  await seedRun(history, org, {
    runId: 'csv-log',
    profileId: 'acme',
    startedAt,
    entries: 2_500,
    failEvery: 100,
  });
  await seedRun(history, org, { runId: 'csv-held', profileId: 'acme', startedAt, held: 1_500 });
}, 120_000);

afterAll(async () => {
  cfg.cleanup();
  await env.close();
});

const csv = async (runId: string, list: string) => {
  const r = await runCli(['runs', 'show', runId, '--csv', list, '--config', cfg.path], serviceEnv(env));
  expect(r.code).toBe(0);
  expect(r.stdout.startsWith('\uFEFF')).toBe(true);
  return parseCsv(r.stdout.slice(1));
};

describe('dtsync runs show --csv', () => {
  it('prints the change log with the listed columns, every row, phones masked and formulas escaped', async () => {
    const rows = await csv('csv-log', 'changes');
    expect(rows[0]).toEqual([
      'Time',
      'Action',
      'Name',
      'DingTalk userid',
      'PDS user id',
      'Departments',
      'Field',
      'Before',
      'After',
      'Reason',
    ]);
    const data = rows.slice(1);
    // one line per changed field of each of the 2,475 changes (a create changes three)
    let lines = 0;
    for (let i = 0; i < 2_500; i++)
      if (i % 100 !== 99) lines += Object.keys(seedEntry(org, i).fields ?? {}).length;
    expect(data).toHaveLength(lines);
    expect(data.every((r) => r.length === 10)).toBe(true);
    const phone = data.find((r) => r[3] === 'u0' && r[6] === 'Phone');
    expect(phone?.[8]).toBe('139****0000');
    expect(data.some((r) => r.some((c) => c.includes(seedPhone(0))))).toBe(false);
    expect(data.find((r) => r[3] === 'u7')?.[2]).toBe('\'=cmd|"/c calc"!A1');
  });

  it('prints the failures and the held changes', async () => {
    const failures = (await csv('csv-log', 'failures')).slice(1);
    expect(failures).toHaveLength(25);
    expect(failures[0]?.[9]).toContain('AlreadyExist.Mobile');
    const held = (await csv('csv-held', 'held')).slice(1);
    expect(held).toHaveLength(1_500);
    expect(held[0]?.slice(2, 5)).toEqual(['员工0', 'u0', 'dt_u0']);
  });

  it('refuses a list it does not know, naming the three (exit 2)', async () => {
    const r = await runCli(
      ['runs', 'show', 'csv-log', '--csv', 'people', '--config', cfg.path],
      serviceEnv(env),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown list "people": use changes, held or failures');
  });
});

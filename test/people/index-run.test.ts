import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { Hold } from '../../src/gate/gate-run.js';
import { indexRun } from '../../src/people/record-run.js';
import { PeopleWriter } from '../../src/people/store.js';
import { createLogger } from '../../src/process/logger.js';
import { zeroCounts, type RunReport } from '../../src/report/types.js';
import { StateKeys } from '../../src/state/keys.js';
import { testRedisUrl, uniquePrefix } from '../helpers/redis.js';

const report = (o: Partial<RunReport> = {}): RunReport => ({
  runId: 'r1',
  profileId: 'acme',
  trigger: 'manual',
  dryRun: false,
  deep: false,
  status: 'succeeded',
  startedAt: '2026-12-08T00:00:00.000Z',
  finishedAt: '2026-12-08T00:01:00.000Z',
  source: { departments: 1, users: 1 },
  counts: zeroCounts(),
  warnings: [],
  failures: [],
  changes: [],
  changesTruncated: false,
  apiCalls: { dingtalk: {}, pds: {} },
  ...o,
});

describe('the per-person index as a run ends', () => {
  it("a failure to index is logged as a warning, never the run's failure: the sync itself is done by then", async () => {
    // a real Redis connection, closed: every command of the index is refused
    const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.disconnect();
    const lines: string[] = [];
    const log = createLogger({
      level: 'warn',
      destination: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    const people = new PeopleWriter(redis, new StateKeys(uniquePrefix('index-run')));
    await expect(
      indexRun(people, report(), { gate: { apply: undefined, hold: undefined } }, log),
    ).resolves.toBeUndefined();
    expect(lines.join('')).toContain('the per-person index was not updated for this run');
  });

  it('a dry run and a run a pre-flight held are not indexed: nothing was written to anyone', async () => {
    const redis = new Redis(testRedisUrl(), { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.disconnect();
    const lines: string[] = [];
    const log = createLogger({
      level: 'warn',
      destination: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    const people = new PeopleWriter(redis, new StateKeys(uniquePrefix('index-run')));
    // a closed connection would log a warning if the index were touched at all
    await indexRun(people, report({ dryRun: true }), { gate: { apply: undefined, hold: undefined } }, log);
    const hold: Hold = {
      by: 'preflight',
      code: 'source_drop',
      reason: { code: 'source_drop', params: {} },
      changes: [],
      notApproved: [],
      wholeRun: true,
    };
    await indexRun(people, report(), { gate: { apply: undefined, hold } }, log);
    expect(lines).toEqual([]);
  });
});

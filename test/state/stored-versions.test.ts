import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { storedReport } from '../../src/cli/report-json.js';
import { zeroCounts } from '../../src/report/types.js';
import { RunHistory } from '../../src/state/history.js';
import { StateKeys } from '../../src/state/keys.js';
import { VERSION_FIELD } from '../../src/state/parse-stored.js';
import { runReportSchema } from '../../src/state/schemas.js';
import { SnapshotState } from '../../src/state/snapshot-state.js';
import { firstGenerationChunk, firstGenerationReport, kindGenerationReport } from '../fixtures/stored-v1.js';
import { dropPrefix, testRedis, uniquePrefix } from '../helpers/redis.js';

let redis: Redis;
let prefix: string;
let keys: StateKeys;
let history: RunHistory;
let state: SnapshotState;

beforeAll(() => {
  redis = testRedis();
  prefix = uniquePrefix('versions');
  keys = new StateKeys(prefix);
  history = new RunHistory(redis, keys, 10);
  state = new SnapshotState(redis, keys);
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const text = (t: string) => ({ code: 'stored_text', params: { text: t } });
const versionOf = (raw: string | null) => (JSON.parse(raw ?? '{}') as Record<string, unknown>)[VERSION_FIELD];

describe('every stored value carries a schema version, and an older one is migrated where it is read', () => {
  it('a first-generation report reads as the current shape: coded text, kinds, the action union, every count', async () => {
    await redis.set(keys.run('v1-first'), JSON.stringify(firstGenerationReport('v1-first')));
    const summary = await history.get('v1-first');
    if (summary === undefined) throw new Error('no run');
    const r = await storedReport(history, summary, { allChanges: true });
    expect(r?.warnings).toEqual([text('department 9 is gone or out of scope: group g9 "Old" is kept')]);
    expect(r?.heldReason).toEqual(text('plan disables 6 of 10 managed enabled users (60%)'));
    expect(r?.counts).toEqual({ ...zeroCounts(), ...r?.counts, membershipOnly: 0 });
    expect(r?.linkReads).toEqual({ duringWalk: 3, afterWalk: 2 });
    expect(r?.failures).toEqual([
      expect.objectContaining({
        action: { type: 'createGroup', deptId: 12, name: '' },
        kind: 'remote_unavailable',
        params: { detail: 'group of department 12: PDS answered InternalError (HTTP 500): busy' },
      }),
      expect.objectContaining({
        action: { type: 'adopt', by: 'email' },
        kind: 'ambiguous_adoption',
        params: { detail: '2 PDS users have this email: link the right one by hand (h2, h3)' },
      }),
    ]);
    expect(r.changes.map((c) => c.action)).toEqual([
      { type: 'create' },
      { type: 'adopt', by: 'email' },
      { type: 'renameGroup', groupId: 'g7', name: '销售部' },
      { type: 'createGroup', deptId: 12, name: '研发部' },
    ]);
    expect(r.changes.some((c) => 'deptId' in c)).toBe(false);
    // and it is the current shape: what the current schema alone reads
    expect(runReportSchema.safeParse(r).success).toBe(true);
  });

  it('a report with kinds but no params, listing re-entries as `reentered`, reads as reentries and params', async () => {
    await redis.set(keys.run('v1-kind'), JSON.stringify(kindGenerationReport('v1-kind')));
    const summary = await history.get('v1-kind');
    if (summary === undefined) throw new Error('no run');
    const r = await storedReport(history, summary, { allChanges: true });
    expect(r.failures[0]).toMatchObject({
      action: { type: 'update' },
      kind: 'phone_taken',
      params: { detail: 'phone 139****5678 is already linked to another user (x9)' },
    });
    expect(r?.reentries).toEqual([
      {
        userid: 'u5',
        name: '李四',
        pdsUserId: 'dt_u5',
        departments: ['销售部'],
        since: '2026-11-30T01:00:00Z',
      },
    ]);
    expect(r).not.toHaveProperty('reentered');
    expect(r?.heldReason).toBeUndefined();
  });

  it('a migrated report saved again is stored at the current version and reads back equal', async () => {
    const r = await history.get('v1-first');
    expect(versionOf(await redis.get(keys.run('v1-first')))).toBe(3); // its summary, moved once
    await history.setStatus('v1-first', 'rejected');
    expect(versionOf(await redis.get(keys.run('v1-first')))).toBe(3);
    expect(await history.get('v1-first')).toEqual({ ...r, status: 'rejected' });
  });

  it('a first-generation change-log chunk (a bare array of action strings) reads as the union', async () => {
    await redis.rpush(keys.runChanges('v1-log'), gzipSync(JSON.stringify(firstGenerationChunk())));
    const log = history.changeLog('v1-log', { keepEarlier: true });
    log.add({ action: { type: 'disable', reason: 'left' }, dingtalkUserId: 'u6', pdsUserId: 'dt_u6' });
    await log.flush();
    // its changes, then its failures: an older log is split into the two lists once
    expect(await history.changes('v1-log')).toEqual([
      { action: { type: 'restore' }, dingtalkUserId: 'u5', pdsUserId: 'dt_u5', fields: {} },
      {
        action: { type: 'disable', reason: 'left' },
        dingtalkUserId: 'u6',
        pdsUserId: 'dt_u6',
        at: expect.any(String),
      },
      {
        action: { type: 'createGroup', deptId: 13, name: '' },
        failure: {
          code: 'ParentGroupMissing',
          kind: 'remote_error',
          reason: expect.stringMatching(/^group of department 13 not created/) as unknown as string,
          params: { detail: expect.any(String) as unknown as string },
        },
      },
    ]);
  });

  it('an action string no version wrote is refused, naming the field', async () => {
    await redis.set(
      keys.run('v1-bad'),
      JSON.stringify(firstGenerationReport('v1-bad', { changes: [{ action: 'delete' }] })),
    );
    await expect(history.get('v1-bad')).rejects.toThrow(
      /changes\.0\.action: names no action this version knows/,
    );
  });

  it('the scalar values read their plain-text first version, and are written versioned', async () => {
    await redis.set(keys.held('acme'), 'r-held-old');
    expect(await history.heldRunId('acme')).toBe('r-held-old');
    expect(await history.setHeld('acme', 'r-held-new')).toBe('r-held-old');
    expect(versionOf(await redis.get(keys.held('acme')))).toBe(2);
    expect(await history.heldRunId('acme')).toBe('r-held-new');

    await redis.set(keys.lastScope('acme'), 'scope-old');
    expect(await state.lastScope('acme')).toBe('scope-old');
    await redis.set(
      keys.lastComplete('acme', 's1'),
      JSON.stringify({ users: 5, departments: 2, at: 'then' }),
    );
    expect(await state.lastComplete('acme', 's1')).toMatchObject({ counts: { users: 5, departments: 2 } });
    await state.recordComplete('acme', 's1', { users: 6, departments: 2 }, 'now');
    expect(versionOf(await redis.get(keys.lastComplete('acme', 's1')))).toBe(2);
    expect(versionOf(await redis.get(keys.lastScope('acme')))).toBe(2);
  });

  it('re-entry records and link journal entries of the first version read, and new ones are versioned', async () => {
    await redis.hset(keys.reentries('acme'), 'u5', '2026-11-30T01:00:00Z');
    const since = await state.reentrySince('acme', ['u5', 'u6'], '2026-12-01T00:00:00Z', true);
    expect(Object.fromEntries(since)).toEqual({ u5: '2026-11-30T01:00:00Z', u6: '2026-12-01T00:00:00Z' });
    expect(versionOf(await redis.hget(keys.reentries('acme'), 'u6'))).toBe(2);

    await redis.sadd(keys.linksPending('acme'), 'dt_old');
    const journal = state.journal('acme');
    await journal.add(['dt_new', 'dt_old']);
    expect((await state.pendingLinks('acme')).sort()).toEqual(['dt_new', 'dt_old']);
    const members = await redis.smembers(keys.linksPending('acme'));
    expect(members.filter((m) => m.startsWith('{') && versionOf(m) === 2)).toHaveLength(2);
    await journal.done(['dt_new', 'dt_old']);
    await journal.flush();
    expect(await redis.scard(keys.linksPending('acme'))).toBe(0); // the old bare id went too
  });

  it('an attempt record of the first version lacking later counts reads them as 0; a new one is versioned', async () => {
    await redis.hset(keys.runAttempts('v1-att'), '1', JSON.stringify({ created: 4 }));
    expect((await history.earlierAttempts('v1-att', 2)).applied.get(1)).toMatchObject({
      created: 4,
      membershipOnly: 0,
    });
    await history.recordPlanned('v1-att', 2, { ...zeroCounts(), created: 9 });
    expect(versionOf(await redis.hget(keys.runAttempts('v1-att'), 'planned:2'))).toBe(2);
  });

  it('a value of a newer version is read with the current schema; a version that is no number is refused', async () => {
    const r = {
      ...firstGenerationReport('v-next'),
      warnings: [],
      failures: [],
      changes: [],
      heldReason: undefined,
      held: undefined,
      linkReads: undefined,
    };
    await redis.set(
      keys.run('v-next'),
      JSON.stringify({ [VERSION_FIELD]: 4, ...r, warningCount: 0, counts: zeroCounts(), addedLater: 'kept' }),
    );
    expect(await history.get('v-next')).toMatchObject({ runId: 'v-next', addedLater: 'kept' });
    await redis.set(keys.run('v-bad'), JSON.stringify({ [VERSION_FIELD]: 'two', ...r }));
    await expect(history.get('v-bad')).rejects.toThrow(`${VERSION_FIELD}: not a version number`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyConcurrency, applyPlan } from '../../src/apply/apply.js';
import { noJournal, type ApplyContext, type LinkJournal } from '../../src/apply/context.js';
import { ApplyOutcome } from '../../src/apply/outcome.js';
import type { GroupAction, Plan, UserAction } from '../../src/plan/types.js';
import { createLogger } from '../../src/process/logger.js';
import { buildTarget } from '../helpers/snapshots.js';
import { startHarness, type Harness } from '../helpers/pds-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const planOf = (p: { groups?: GroupAction[]; users?: UserAction[] }): Plan => ({
  groups: p.groups ?? [],
  users: p.users ?? [],
  failures: [],
  notices: [],
  unchanged: 0,
  unmanagedSkipped: 0,
  managedEnabled: 0,
});

const create = (userid: string, userData: Record<string, string> = {}): UserAction => ({
  kind: 'create',
  userid,
  pdsUserId: `dt_${userid}`,
  fields: { nick_name: `Name ${userid}` },
  userData: { source: 'dingtalk', dtsync_profile: 'acme', dingtalk_userid: userid, ...userData },
  deptIds: [],
  linkAdd: [],
});

function context(over: Partial<ApplyContext> = {}): ApplyContext & { outcome: ApplyOutcome } {
  return {
    pds: h.client(),
    profileId: 'acme',
    signal: undefined,
    concurrency: 4,
    log: createLogger({ level: 'silent' }),
    journal: noJournal,
    outcome: new ApplyOutcome(),
    disabled: () => Promise.resolve(),
    ...over,
  };
}

describe('applyConcurrency', () => {
  it.each([
    [20, 8],
    [100, 13],
    [1000, 125],
    [5000, 128],
  ])('keeps the PDS limit busy across latency, within 8 and 128: %d QPS -> %d records', (qps, n) => {
    expect(applyConcurrency(qps)).toBe(n);
  });
});

describe('applyPlan', () => {
  it('one failing record never aborts the run: the others are written, the failure is recorded with its reason', async () => {
    const ctx = context();
    const tooLong = create('big', { note: 'x'.repeat(2000) });
    await applyPlan(
      ctx,
      planOf({ users: [create('a1'), tooLong, create('a2')] }),
      buildTarget({ groups: [] }),
    );
    expect(ctx.outcome.counts.created).toBe(2);
    expect(ctx.outcome.failures).toEqual([
      expect.objectContaining({ dingtalkUserId: 'big', pdsUserId: 'dt_big', action: { type: 'create' } }),
    ]);
    expect(ctx.outcome.failures[0]?.reason).toContain('user_data');
    const ids = h.sim.control.state().users.map((u) => u.user_id);
    expect(ids).toEqual(expect.arrayContaining(['dt_a1', 'dt_a2']));
    expect(ids).not.toContain('dt_big');
  });

  it('a group whose parent group could not be made is not made either, and says why', async () => {
    const ctx = context();
    const groups: GroupAction[] = [
      { kind: 'createGroup', deptId: 10, name: 'n'.repeat(200), parentDeptId: undefined },
      { kind: 'createGroup', deptId: 11, name: 'Child', parentDeptId: 10 },
    ];
    await applyPlan(ctx, planOf({ groups }), buildTarget({ groups: [] }));
    expect(ctx.outcome.counts.groupsCreated).toBe(0);
    expect(ctx.outcome.failures.map((f) => f.code)).toEqual([expect.any(String), 'ParentGroupMissing']);
    expect(ctx.outcome.failures[1]?.reason).toContain('parent department 10');
  });

  it('a cancelled run stops with its reason, and the link journal is still flushed', async () => {
    const flushed: string[] = [];
    const journal: LinkJournal = {
      add: () => Promise.resolve(),
      done: () => Promise.resolve(),
      flush: () => {
        flushed.push('flush');
        return Promise.resolve();
      },
    };
    // a token first: a fetch started by an already-cancelled call would outlive the test
    const pds = h.client();
    await pds.checkCredentials();
    const job = new AbortController();
    const reason = new Error('cancelled by the operator');
    job.abort(reason);
    const ctx = context({ pds, signal: job.signal, journal });
    await expect(
      applyPlan(ctx, planOf({ users: [create('c1'), create('c2')] }), buildTarget({ groups: [] })),
    ).rejects.toBe(reason);
    expect(flushed).toEqual(['flush']);
    expect(ctx.outcome.failures).toEqual([]);
  });
});

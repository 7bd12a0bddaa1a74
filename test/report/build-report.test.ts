import { describe, expect, it } from '@jest/globals';
import type { Hold } from '../../src/gate/gate-run.js';
import { plan } from '../../src/plan/plan.js';
import { buildReport, type RunFacts, type RunRecordView } from '../../src/report/build-report.js';
import { recoveryOf, type EarlierAttempts } from '../../src/report/recovery.js';
import { runStatus } from '../../src/report/status.js';
import {
  APPLIED_COUNTS,
  zeroCounts,
  type AppliedCounts,
  type PlannedCounts,
} from '../../src/report/types.js';
import { buildSource, buildTarget, managed, options, user } from '../helpers/snapshots.js';

const TOO_MANY = {
  code: 'disable_limit',
  params: { users: 9, managed: 10, percent: '90.0', maxCount: 5, maxPercent: 10 },
} as const;

describe('runStatus', () => {
  it.each([
    [
      'a run that threw failed, held or not',
      { failed: true, dryRun: false, heldBy: 'breaker', failedRecords: 0 },
      'failed',
    ],
    [
      'a dry run that threw failed',
      { failed: true, dryRun: true, heldBy: undefined, failedRecords: 0 },
      'failed',
    ],
    [
      'a pre-flight holds a real run',
      { failed: false, dryRun: false, heldBy: 'preflight', failedRecords: 0 },
      'held',
    ],
    [
      'a pre-flight holds a dry run too',
      { failed: false, dryRun: true, heldBy: 'preflight', failedRecords: 0 },
      'held',
    ],
    [
      'the breaker holds a real run, failed records or not',
      { failed: false, dryRun: false, heldBy: 'breaker', failedRecords: 3 },
      'held',
    ],
    [
      'the breaker does not hold a dry run',
      { failed: false, dryRun: true, heldBy: 'breaker', failedRecords: 0 },
      'succeeded',
    ],
    [
      'a dry run with planned failures succeeded',
      { failed: false, dryRun: true, heldBy: undefined, failedRecords: 2 },
      'succeeded',
    ],
    [
      'a real run with failed records succeeded with errors',
      { failed: false, dryRun: false, heldBy: undefined, failedRecords: 1 },
      'succeeded_with_errors',
    ],
    [
      'a real run with none succeeded',
      { failed: false, dryRun: false, heldBy: undefined, failedRecords: 0 },
      'succeeded',
    ],
  ] as const)('%s', (_rule, facts, status) => {
    expect(runStatus(facts)).toBe(status);
  });
});

const applied = (over: Partial<AppliedCounts> = {}): AppliedCounts => ({
  ...(Object.fromEntries(APPLIED_COUNTS.map((k) => [k, 0])) as AppliedCounts),
  ...over,
});
const planned = (over: Partial<AppliedCounts> = {}): PlannedCounts => ({ ...applied(over), failed: 0 });

describe('recoveryOf (issue 15: counting what killed attempts did)', () => {
  const earlier = (
    a: [number, Partial<AppliedCounts>][],
    first?: [number, Partial<AppliedCounts>],
  ): EarlierAttempts => ({
    applied: new Map(a.map(([n, c]) => [n, applied(c)])),
    firstPlanned: first === undefined ? undefined : { attempt: first[0], counts: applied(first[1]) },
  });

  it.each([
    ['a first attempt recovers nothing', earlier([]), planned({ created: 5 }), undefined],
    [
      'stored counts of earlier attempts are summed',
      earlier([
        [1, { created: 3 }],
        [2, { created: 2 }],
      ]),
      undefined,
      { created: 5 },
    ],
    [
      'the first plan minus this plan counts writes made after the last store',
      earlier([[1, { created: 3 }]], [1, { created: 10 }]),
      planned({ created: 2 }),
      { created: 8 },
    ],
    [
      'stored counts are a floor when the organisation grew in between',
      earlier([[1, { created: 3 }]], [1, { created: 10 }]),
      planned({ created: 9 }),
      { created: 3 },
    ],
    [
      'attempts that applied nothing recover nothing',
      earlier([], [1, { created: 4 }]),
      planned({ created: 4 }),
      undefined,
    ],
  ] as const)('%s', (_rule, e, now, expected) => {
    const r = recoveryOf(3, e, now);
    if (expected === undefined) expect(r).toBeUndefined();
    else expect(r?.earlier).toMatchObject(expected);
  });

  it('names every earlier attempt it counted, in order', () => {
    expect(
      recoveryOf(3, earlier([[2, { created: 1 }]], [1, { created: 5 }]), planned())?.fromAttempts,
    ).toEqual([1, 2]);
  });
});

describe('buildReport', () => {
  const at = new Date('2026-12-05T01:00:00Z');
  const request = { runId: 'r1', profileId: 'acme', trigger: 'manual', dryRun: false, deep: false } as const;
  const source = buildSource({ users: [user('a', { name: 'New' }), user('b')] });
  const target = buildTarget({ managed: [managed('a'), managed('b'), managed('gone')] });
  const p = plan(source, target, options());
  const record = (over: Partial<RunRecordView> = {}): RunRecordView => ({
    counts: { ...zeroCounts(), updated: 1, disabled: 1 },
    failures: [],
    changes: [],
    changesTruncated: false,
    failuresTruncated: false,
    ...over,
  });
  const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
    request,
    startedAt: at,
    finishedAt: at,
    snapshots: { source, target },
    plan: p,
    record: record(),
    ...over,
  });

  it('a run that failed before reading anything reports the cause and nothing else', () => {
    const r = buildReport({
      request,
      startedAt: at,
      finishedAt: at,
      error: { code: 'x', message: 'boom', permanent: false },
    });
    expect(r).toMatchObject({
      status: 'failed',
      source: { users: 0, departments: 0 },
      counts: zeroCounts(),
      error: { message: 'boom' },
    });
    expect(r.planned).toBeUndefined();
  });

  it('counts come from the plan (unchanged, skipped) and the record (writes), planned from the plan', () => {
    const r = buildReport(facts());
    expect(r.status).toBe('succeeded');
    expect(r.source).toEqual({ users: 2, departments: 1 });
    expect(r.counts).toMatchObject({ unchanged: 1, updated: 1, disabled: 1 });
    expect(r.planned).toMatchObject({ updated: 1, disabled: 1 });
  });

  it('a failed record is named and makes the run succeed with errors', () => {
    const failures = [
      {
        dingtalkUserId: 'a',
        pdsUserId: 'dt_a',
        action: { type: 'update' } as const,
        code: 'X',
        kind: 'remote_error' as const,
        reason: 'r',
        params: {},
      },
    ];
    const r = buildReport(facts({ record: record({ failures, counts: { ...zeroCounts(), failed: 1 } }) }));
    expect(r.status).toBe('succeeded_with_errors');
    expect(r.failures[0]?.person).toEqual({ userid: 'a', name: 'New', departments: ['Acme'], deptIds: [1] });
  });

  it('a held run carries the hold with the people named; a superseded older hold is a warning', () => {
    const hold: Hold = {
      by: 'breaker',
      code: 'disable_limit',
      reason: TOO_MANY,
      changes: [{ kind: 'disable', userid: 'gone', pdsUserId: 'dt_gone' }],
      notApproved: [],
      wholeRun: false,
    };
    const r = buildReport(facts({ hold, supersededHold: 'r0' }));
    expect(r.status).toBe('held');
    expect(r.heldReason).toEqual(TOO_MANY);
    expect(r.held?.changes[0]?.person?.name).toBe('Name gone');
    expect(r.warnings).toContainEqual({ code: 'hold_superseded', params: { runId: 'r0' } });
  });

  it('a dry run the breaker would hold succeeds and says a real run would be held', () => {
    const hold: Hold = {
      by: 'breaker',
      code: 'disable_limit',
      reason: TOO_MANY,
      changes: [],
      notApproved: [],
      wholeRun: false,
    };
    const r = buildReport(facts({ request: { ...request, dryRun: true }, hold }));
    expect(r.status).toBe('succeeded');
    expect(r.warnings).toContainEqual({
      code: 'would_hold',
      params: { hold: 'disable_limit', ...TOO_MANY.params },
    });
  });

  it('earlier attempts’ writes are added to the counts, and the inline changes are marked partial', () => {
    const recovered = { attempt: 2, fromAttempts: [1], earlier: applied({ created: 4 }) };
    const r = buildReport(facts({ recovered }));
    expect(r.counts.created).toBe(4);
    expect(r.changesTruncated).toBe(true);
    expect(r.recovered).toEqual(recovered);
  });
});

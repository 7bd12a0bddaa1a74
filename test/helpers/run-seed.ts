import { ApplyOutcome } from '../../src/apply/outcome.js';
import type { TargetSnapshot } from '../../src/pds-snapshot/snapshot.js';
import { buildReport } from '../../src/report/build-report.js';
import { runPeople, type RunPeople } from '../../src/report/people.js';
import type { ChangeType, HeldChange, RunChange, RunReport } from '../../src/report/types.js';
import type { SourceDepartment, SourceSnapshot, SourceUser } from '../../src/source/snapshot.js';
import type { RunHistory } from '../../src/state/history.js';

/**
 * Runs written through the project's own storage code (the change log a run writes, the report
 * history.save stores) for an organisation made up here: the run page's lists, the status
 * views and the console bench read them back. Deterministic: person i is always the same.
 */

/** Departments: a top one, `divisions` under it, and teams under each division. */
function departments(divisions: number, teamsEach: number): SourceDepartment[] {
  const out: SourceDepartment[] = [{ id: 1, name: '总公司', parentId: undefined }];
  for (let d = 0; d < divisions; d++) {
    const id = 100 + d;
    out.push({ id, name: `事业部${d + 1}`, parentId: 1 });
    for (let t = 0; t < teamsEach; t++)
      out.push({ id: 10_000 + d * 100 + t, name: `第${t + 1}组`, parentId: id });
  }
  return out;
}

export interface SeedOrg {
  readonly users: readonly SourceUser[];
  readonly departments: readonly SourceDepartment[];
  readonly people: RunPeople;
}

/** Person i's phone (masked once stored). */
export const seedPhone = (i: number): string => `139${String(i).padStart(8, '0')}`;

/** An organisation of `n` people, each in one team, with Chinese names and a phone each. */
export function seedOrg(
  n: number,
  o: { divisions?: number; teamsEach?: number; name?: (i: number) => string | undefined } = {},
): SeedOrg {
  const depts = departments(o.divisions ?? 10, o.teamsEach ?? 20);
  const teams = depts.filter((d) => d.id >= 10_000);
  const users: SourceUser[] = [];
  for (let i = 0; i < n; i++) {
    const team = teams[i % teams.length] ?? teams[0];
    users.push({
      userid: `u${i}`,
      unionid: `union${i}`,
      name: o.name?.(i) ?? `员工${i}`,
      mobile: seedPhone(i),
      stateCode: '86',
      email: `user${i}@example.com`,
      orgEmail: undefined,
      deptIds: team === undefined ? [] : [team.id],
    });
  }
  const source: SourceSnapshot = {
    roots: [1],
    departments: new Map(depts.map((d) => [d.id, d])),
    users: new Map(users.map((u) => [u.userid, u])),
    fields: { mobile: 'authorised', email: 'authorised', orgEmail: 'authorised' },
    scopeKey: 'seed',
  };
  const target: TargetSnapshot = {
    managed: new Map(),
    duplicateClaims: [],
    others: new Map(),
    groups: new Map(),
    duplicateGroups: [],
    links: new Map(),
    dingOwners: new Map(),
  };
  return { users, departments: depts, people: runPeople(source, target) };
}

const ACTIONS: readonly ChangeType[] = ['create', 'update', 'disable'];

/** Change-log entry i of a seeded run: person i mod n, an action in turn; every `failEvery`th fails. */
export function seedEntry(org: SeedOrg, i: number): RunChange {
  const u = org.users[i % org.users.length];
  if (u === undefined) throw new Error('an empty organisation');
  const type = ACTIONS[i % ACTIONS.length] ?? 'create';
  const ids = { dingtalkUserId: u.userid, pdsUserId: `dt_${u.userid}` };
  if (type === 'create')
    return {
      action: { type: 'create' },
      ...ids,
      fields: { nick_name: [undefined, u.name], phone: [undefined, u.mobile], email: [undefined, u.email] },
    };
  if (type === 'update')
    return { action: { type: 'update' }, ...ids, fields: { nick_name: ['旧名', u.name] } };
  return { action: { type: 'disable', reason: 'left' }, ...ids, fields: { status: ['enabled', 'disabled'] } };
}

export interface SeedRun {
  readonly runId: string;
  readonly profileId: string;
  readonly startedAt: Date;
  /** Change-log entries (failures included). */
  readonly entries?: number;
  /** Every this many entries, one is a failure (0: none). */
  readonly failEvery?: number;
  /** People held for disabling (the first `held` of the organisation): the run is held. */
  readonly held?: number;
  readonly dryRun?: boolean;
}

/** Writes one run as a worker would: its change log while it goes, then its report. */
export async function seedRun(history: RunHistory, org: SeedOrg, s: SeedRun): Promise<RunReport> {
  const at = (ms: number) => new Date(s.startedAt.getTime() + ms);
  let tick = 0;
  const outcome = new ApplyOutcome(
    history.changeLog(s.runId, { keepEarlier: s.dryRun !== true, people: org.people, now: () => at(tick++) }),
  );
  const failEvery = s.failEvery ?? 0;
  for (let i = 0; i < (s.entries ?? 0); i++) {
    const c = seedEntry(org, i);
    if (failEvery > 0 && i % failEvery === failEvery - 1)
      outcome.fail({
        dingtalkUserId: c.dingtalkUserId,
        pdsUserId: c.pdsUserId,
        action: c.action,
        code: 'AlreadyExist.Mobile',
        kind: 'phone_taken',
        reason: 'phone taken',
        params: { owner: '=HYPERLINK("x")' },
      });
    else {
      outcome.change(c);
      // the counts the apply keeps beside its log
      if (c.action.type === 'create') outcome.counts.created++;
      else if (c.action.type === 'update') outcome.counts.updated++;
      else outcome.counts.disabled++;
    }
  }
  await outcome.flush();
  const base = buildReport({
    request: {
      runId: s.runId,
      profileId: s.profileId,
      trigger: 'manual',
      dryRun: s.dryRun ?? false,
      deep: false,
    },
    startedAt: s.startedAt,
    finishedAt: at(tick + 1000),
  });
  const changes: HeldChange[] = org.users.slice(0, s.held ?? 0).map((u) => ({
    kind: 'disable',
    userid: u.userid,
    pdsUserId: `dt_${u.userid}`,
    person: org.people.person(u.userid),
  }));
  const heldN = changes.length;
  const report: RunReport = {
    ...base,
    status: heldN > 0 ? 'held' : outcome.counts.failed > 0 ? 'succeeded_with_errors' : 'succeeded',
    counts: outcome.counts,
    source: { users: org.users.length, departments: org.departments.length },
    ...(heldN > 0
      ? {
          heldReason: {
            code: 'disable_limit',
            params: {
              users: heldN,
              managed: org.users.length,
              percent: '50.0',
              maxCount: 100,
              maxPercent: 5,
            },
          },
          held: { changes, notApproved: [], wholeRun: false, by: 'breaker', code: 'disable_limit' },
        }
      : {}),
  };
  await history.save(report, org.people);
  if (heldN > 0) await history.setHeld(s.profileId, s.runId);
  return report;
}

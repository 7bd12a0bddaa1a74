import { checkDomain, type Domain, type Org } from '../../bench/independent-check.js';
import type { Profile } from '../../src/config/schema.js';
import type { RunRequest } from '../../src/engine/run-sync.js';
import type { Logger } from '../../src/process/logger.js';
import type { RunReport } from '../../src/report/types.js';
import type { FaultsPatch } from '../../sim/dingtalk/faults.js';
import { startSims, type SimEnv } from '../helpers/sims.js';
import { capturingLogger, FAST, runEngine, type Timing } from './engine.js';
import { invariantViolations } from './invariants.js';
import type { Needle } from './secrets.js';
import { CHECK } from '../helpers/check.js';

/** The size of every cell's organisation: a few hundred people in 15 departments. */
export const ORG_USERS = 240;
export const ORG_DEPARTMENTS = 15;

export { CHECK };

/** The phone a hand-made PDS user already holds: a hire given it meets `AlreadyExist.Account`. */
export const HAND_MADE_PHONE = '13000000000';

/** Objects the sync must never write to: a hand-made user (with a phone login), admins, a hand-made group, another profile's user. */
export const UNMANAGED_SEED = {
  users: [
    {
      user_id: 'hand-made-1',
      nick_name: 'Made by hand',
      role: 'user',
      status: 'enabled',
      user_data: { note: 'x' },
    },
    { user_id: 'the-admin', nick_name: 'Admin', role: 'admin', status: 'enabled' },
    { user_id: 'root-admin', nick_name: 'Super', role: 'superadmin', status: 'enabled' },
    {
      user_id: 'dt_other',
      nick_name: 'Other profile',
      role: 'user',
      status: 'enabled',
      user_data: { source: 'dingtalk', dtsync_profile: 'other', dingtalk_userid: 'other' },
    },
  ],
  groups: [
    {
      group_id: 'hand-group',
      group_name: 'Made by hand',
      description: 'not synced',
      is_root: true,
      parent_group_id: null,
    },
  ],
  links: [{ user_id: 'hand-made-1', type: 'mobile', identity: HAND_MADE_PHONE, extra: '86' }],
};

/** What one run did, seen from the simulators only. */
export interface Observed<T> {
  readonly result: T;
  /** Write requests PDS received (failed ones included). */
  readonly writes: number;
  /** Invariant violations of this run: wrongful disables, duplicates, deletes, unmanaged writes. */
  readonly violations: string[];
  readonly ms: number;
  /** PDS as it was before and after the run. */
  readonly before: Domain;
  readonly after: Domain;
}

export interface Convergence {
  readonly report: RunReport;
  /** The independent check's differences from the expected state (after `allow`). */
  readonly check: string[];
  readonly violations: string[];
  /** The run after it. */
  readonly next: RunReport;
  readonly nextWrites: number;
  readonly nextViolations: string[];
}

/** One cell of the matrix: both simulators, a Redis prefix and a log of its own. */
export class Cell {
  readonly logs: string[] = [];
  /** Every phone and email the organisation has had while the cell ran (for the secrets search). */
  readonly personal = new Set<string>();
  /** What a cell remembers between its steps (a hire's userid). */
  readonly notes = new Map<string, string>();
  /** Secrets of extra simulators a cell started (another org's app), read at search time. */
  readonly moreSecrets: (() => Needle[])[] = [];
  readonly #closers: (() => Promise<void>)[] = [];
  /** Other Redis servers holding this cell's keys (a cell's own, restartable one). */
  readonly redisUrls: string[] = [];

  alsoSearch(url: string): void {
    this.redisUrls.push(url);
  }
  readonly log: Logger;
  seeded!: Domain;
  /** The clients' retry pauses and timeout for this cell's runs. */
  timing: Timing = FAST;
  #phones = 0;

  private constructor(
    readonly env: SimEnv,
    readonly seed: number,
  ) {
    this.log = capturingLogger(this.logs);
  }

  static async start(name: string, seed: number, o: { users?: number } = {}): Promise<Cell> {
    const env = await startSims({
      dingtalk: { orgSpec: { seed, users: o.users ?? ORG_USERS, departments: ORG_DEPARTMENTS } },
      name,
    });
    env.pds.control.seed(UNMANAGED_SEED);
    const cell = new Cell(env, seed);
    cell.org();
    cell.seeded = env.pds.control.state();
    return cell;
  }

  /** Departments the profile syncs (with their subtrees); undefined: the whole organisation. */
  scope: number[] | undefined;

  profile(sync: Record<string, unknown> = {}): Profile {
    const scope =
      this.scope === undefined ? {} : { scope: { mode: 'departments', departmentIds: this.scope } };
    return this.env.profile({ sync: { ...scope, ...sync } });
  }

  /** The top departments, the one with the fewest people in its subtree first. */
  topsBySize(): number[] {
    const o = this.org();
    const size = (id: number) => {
      const ids = subtree(o, [id]);
      return o.users.filter((u) => u.dept_id_list.some((d) => ids.has(d))).length;
    };
    const tops = o.departments
      .filter((d) => d.parent_id === 1)
      .map((d) => [d.dept_id, size(d.dept_id)] as const);
    return tops.sort((a, b) => a[1] - b[1]).map(([id]) => id);
  }

  /**
   * The department (not the root) with the most people in its subtree, at most `share` of them:
   * a scope narrowed to it drops enough people for the gates to hold the run.
   */
  departmentHolding(share: number): number {
    const o = this.org();
    let best: [number, number] = [1, -1];
    for (const d of o.departments) {
      if (d.dept_id === 1) continue;
      const ids = subtree(o, [d.dept_id]);
      const n = o.users.filter((u) => u.dept_id_list.some((x) => ids.has(x))).length;
      if (n <= share * o.users.length && n > best[1]) best = [d.dept_id, n];
    }
    return best[0];
  }

  /** The part of the organisation the profile syncs, derived here (not by the engine's code). */
  expectedOrg(): Org {
    const o = this.org();
    if (this.scope === undefined) return o;
    const ids = subtree(o, this.scope);
    return {
      departments: o.departments.filter((d) => ids.has(d.dept_id)),
      users: o.users
        .filter((u) => u.dept_id_list.some((d) => ids.has(d)))
        .map((u) => ({ ...u, dept_id_list: u.dept_id_list.filter((d) => ids.has(d)) })),
    };
  }

  org(): Org {
    const o = structuredClone(this.env.dingtalk.control.org()) as Org;
    for (const u of o.users)
      for (const v of [u.mobile, u.email, u.org_email]) if (v !== undefined) this.personal.add(v);
    return o;
  }

  domain(): Domain {
    return this.env.pds.control.state();
  }

  /** PDS write requests received so far (failed and throttled ones included). */
  writes(): number {
    return Object.values(this.env.pds.control.counters().writes).reduce((a, b) => a + b, 0);
  }

  deletes(): number {
    const calls = this.env.pds.control.counters().calls;
    return (calls['/v2/user/delete'] ?? 0) + (calls['/v2/group/delete'] ?? 0);
  }

  /** One run in this process through the real engine and clients. */
  run(profile: Profile = this.profile(), req: Partial<Omit<RunRequest, 'profile'>> = {}): Promise<RunReport> {
    return runEngine(this.env.redis, this.env.prefix, this.log, profile, req, this.timing);
  }

  /** Runs `fn` (one run, by whatever means) and checks the invariants of what it did. */
  async observe<T>(fn: () => Promise<T>): Promise<Observed<T>> {
    const before = this.domain();
    const writes0 = this.writes();
    const deletes0 = this.deletes();
    const t0 = Date.now();
    const result = await fn();
    const ms = Date.now() - t0;
    const after = this.domain();
    const violations = invariantViolations({
      org: this.expectedOrg(),
      before,
      after,
      seeded: this.seeded,
      profileId: CHECK.profileId,
    });
    const deleted = this.deletes() - deletes0;
    if (deleted > 0) violations.push(`${deleted} delete calls`);
    return { result, writes: this.writes() - writes0, violations, ms, before, after };
  }

  /** Hires, leavers, renames, moves and phone changes, as happen between two runs. */
  churn(step: number): void {
    const c = this.env.dingtalk.control;
    c.mutate({ op: 'churn', percent: 5, seed: this.seed * 100 + step });
    const withPhone = this.org().users.filter((u) => u.mobile !== undefined);
    for (let i = 0; i < 3; i++) {
      const u = withPhone[(step * 7 + i * 31) % withPhone.length];
      if (u !== undefined) c.mutate({ op: 'setUser', userid: u.userid, set: { mobile: this.newPhone() } });
    }
  }

  /** A phone number no one in this cell has had. */
  newPhone(): string {
    const phone = `10${String(this.seed % 1000).padStart(3, '0')}${String(++this.#phones).padStart(6, '0')}`;
    this.personal.add(phone);
    return phone;
  }

  /** The first full sync, then churn: the state every fault meets. */
  async prepare(): Promise<void> {
    const first = await this.run();
    if (first.status !== 'succeeded')
      throw new Error(`cell ${this.env.prefix}: first sync ${first.status} ${first.error?.code ?? ''}`);
    this.churn(1);
  }

  clearFaults(): void {
    this.timing = FAST;
    const off: FaultsPatch = {
      qps: null,
      qpsByPath: {},
      missingApiPermissions: [],
      missingFieldPermissions: [],
      authedDept: null,
      busyRate: 0,
      serverErrorRate: 0,
      latencyMs: 0,
      malformedPaths: [],
      failUserListDepts: [],
      burst: null,
    };
    this.env.dingtalk.control.setFaults(off);
    this.env.pds.control.setFaults({
      qps: null,
      latencyMs: 0,
      inject: null,
      errorRate: null,
      failAfterApply: null,
      malformed: null,
      gatewayError: null,
      expireTokensAfterWrites: null,
    });
  }

  /**
   * Convergence: with every fault off, the next clean run (no --deep) reaches exactly the
   * expected state by the independent check, and the run after it writes nothing.
   * `allow` drops differences the cell expects (a phone a hand-made user holds).
   */
  async converge(
    allow: (line: string) => boolean = () => false,
    run: () => Promise<RunReport> = () => this.run(),
  ): Promise<Convergence> {
    this.clearFaults();
    const first = await this.observe(run);
    const check = checkDomain(this.expectedOrg(), this.domain(), { ...CHECK, seeded: this.seeded }).filter(
      (line) => !allow(line),
    );
    const second = await this.observe(run);
    return {
      report: first.result,
      check,
      violations: first.violations,
      next: second.result,
      nextWrites: second.writes,
      nextViolations: second.violations,
    };
  }

  /** Closed with the cell (an extra simulator). */
  onClose(fn: () => Promise<void>): void {
    this.#closers.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.#closers.splice(0)) await fn();
    await this.env.close();
  }
}

/** The departments under `roots`, roots included. */
function subtree(o: Org, roots: readonly number[]): Set<number> {
  const ids = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of o.departments)
      if (d.parent_id !== undefined && ids.has(d.parent_id) && !ids.has(d.dept_id)) {
        ids.add(d.dept_id);
        grew = true;
      }
  }
  return ids;
}

/** Where a run ended, in codes: what a cell asserts on (never on worded text). */
export function outcomeOf(r: RunReport): {
  status: string;
  code: string | undefined;
  permanent: boolean | undefined;
} {
  return { status: r.status, code: r.error?.code, permanent: r.error?.permanent };
}

import type { DingTalkSimControl, OrgChange } from '../load-simulators.js';

/** One change of the simulated org, for the operator to see and the next sync to pick up. */
export type DemoChange =
  | { readonly kind: 'hire'; readonly name: string }
  | { readonly kind: 'leave'; readonly name: string }
  /** Gone from DingTalk without a leave record: unexplained, disabled only after the grace. */
  | { readonly kind: 'vanish'; readonly name: string }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string }
  | { readonly kind: 'massLeave'; readonly count: number };

/**
 * The order of the changes: a leaver with a leave record (disabled as having left) and one
 * without (unexplained, in grace), so both reasons show; every fifth tick a mass leave the
 * breaker holds.
 */
const CYCLE = ['hire', 'leave', 'rename', 'vanish', 'massLeave'] as const;

/** Share of the people a mass leave takes: above the default 10% disable limit, so it is held. */
const MASS_LEAVE_PERCENT = 15;

/**
 * Makes tick `n`'s change to the simulated org. Deterministic in the org's state and `n`, so a
 * demo with one seed tells the same story each time.
 */
export function changeOrg(control: DingTalkSimControl, n: number): DemoChange {
  const org = control.org();
  const kind = CYCLE[n % CYCLE.length] ?? 'hire';
  const people = org.users;
  const pickUser = (i: number) => people[(n * 7919 + i * 104729) % people.length];
  switch (kind) {
    case 'hire': {
      const dept = org.departments[n % org.departments.length]?.dept_id ?? 1;
      const c = control.mutate({ op: 'hire', dept_id_list: [dept] }) as Extract<OrgChange, { op: 'hire' }>;
      return { kind, name: c.user.name };
    }
    case 'leave':
    case 'vanish': {
      const u = pickUser(0);
      if (u === undefined) return { kind: 'massLeave', count: 0 };
      control.mutate({ op: 'leave', userid: u.userid, record: kind === 'leave' });
      return { kind, name: u.name };
    }
    case 'rename': {
      const depts = org.departments.filter((d) => d.parent_id !== undefined);
      const d = depts[n % Math.max(1, depts.length)] ?? org.departments[0];
      if (d === undefined) return { kind: 'rename', from: '', to: '' };
      // the org's objects are live: keep the old name before the rename changes it
      const from = d.name;
      const to = `${from.replace(/（.*）$/, '')}（${n}）`;
      control.mutate({ op: 'renameDept', dept_id: d.dept_id, name: to });
      return { kind, from, to };
    }
    case 'massLeave': {
      const count = Math.ceil((people.length * MASS_LEAVE_PERCENT) / 100);
      const leaving = new Set<string>();
      for (let i = 0; leaving.size < count && i < people.length * 4; i++) {
        const u = pickUser(i);
        if (u !== undefined) leaving.add(u.userid);
      }
      for (const userid of leaving) control.mutate({ op: 'leave', userid, reason: '部门裁撤' });
      return { kind, count: leaving.size };
    }
  }
}

import { z } from 'zod';
import type { SimState } from './context.js';
import { makeUser } from './org-generator.js';
import type { SimDepartment, SimUser } from './org-types.js';
import { mulberry32, pick, type Rng } from '../prng.js';

const deptIds = z.array(z.number().int().min(1)).min(1);
const optionalField = z.string().min(1).nullable().optional();

/** Body of `POST /_sim/org`: one mutation per request. */
export const orgOpSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('hire'),
    /** @defaultValue [1] */
    dept_id_list: deptIds.optional(),
    /** Fields to set instead of generated ones. */
    user: z
      .strictObject({
        userid: z.string().min(1).max(64).optional(),
        name: z.string().min(1).optional(),
        mobile: optionalField,
        email: optionalField,
        org_email: optionalField,
      })
      .optional(),
  }),
  z.strictObject({
    op: z.literal('leave'),
    userid: z.string(),
    reason: z.string().optional(),
    /** false: the person is gone (60121) with no leave record, as when DingTalk has none. @defaultValue true */
    record: z.boolean().optional(),
    /** The leave time (epoch ms), for a test clock. @defaultValue now */
    at: z.number().int().min(0).optional(),
  }),
  z.strictObject({ op: z.literal('moveUser'), userid: z.string(), dept_id_list: deptIds }),
  /** The person activates DingTalk (`active` becomes true): DingTalk sends `user_active_org`. */
  z.strictObject({ op: z.literal('activate'), userid: z.string() }),
  z.strictObject({ op: z.literal('renameDept'), dept_id: z.number().int(), name: z.string().min(1) }),
  z.strictObject({
    op: z.literal('setUser'),
    userid: z.string(),
    /** A string sets the field, null removes it (as if emptied in DingTalk). */
    set: z.strictObject({
      name: z.string().min(1).optional(),
      mobile: optionalField,
      state_code: optionalField,
      email: optionalField,
      org_email: optionalField,
      title: optionalField,
    }),
  }),
  z.strictObject({
    op: z.literal('addDept'),
    parent_id: z.number().int().min(1),
    name: z.string().min(1),
    dept_id: z.number().int().min(2).optional(),
  }),
  z.strictObject({ op: z.literal('removeDept'), dept_id: z.number().int() }),
  z.strictObject({
    op: z.literal('churn'),
    /** Share of the users changed, split evenly between hired, left, renamed and moved. */
    percent: z.number().min(0).max(100),
    /** @defaultValue the next number of the simulator's own seeded sequence */
    seed: z.number().int().optional(),
  }),
]);

export type OrgOp = z.input<typeof orgOpSchema>;

export type OrgChange =
  | { readonly op: 'hire'; readonly userid: string; readonly user: SimUser }
  | { readonly op: 'leave'; readonly userid: string }
  | { readonly op: 'moveUser'; readonly userid: string; readonly from: number[]; readonly to: number[] }
  | { readonly op: 'activate'; readonly userid: string }
  | { readonly op: 'renameDept'; readonly dept_id: number; readonly from: string; readonly to: string }
  | { readonly op: 'setUser'; readonly userid: string; readonly user: SimUser }
  | { readonly op: 'addDept'; readonly dept: SimDepartment }
  | { readonly op: 'removeDept'; readonly dept: SimDepartment }
  | {
      readonly op: 'churn';
      readonly hired: string[];
      readonly left: string[];
      readonly renamed: string[];
      readonly moved: string[];
    };

/** Applies one mutation; throws SimOrgError or a ZodError (HTTP 400) when the org refuses it. */
export function applyOrgOp(state: SimState, input: OrgOp): OrgChange {
  const op = orgOpSchema.parse(input);
  const store = state.store;
  switch (op.op) {
    case 'hire': {
      const u = hire(state, state.rng, op.dept_id_list ?? [1], op.user);
      return { op: 'hire', userid: u.userid, user: u };
    }
    case 'leave':
      store.removeUser(op.userid, op.reason ?? '个人原因', op.at ?? Date.now(), op.record ?? true);
      return { op: 'leave', userid: op.userid };
    case 'moveUser':
      return { op: 'moveUser', userid: op.userid, ...store.moveUser(op.userid, op.dept_id_list) };
    case 'activate':
      store.user(op.userid).active = true;
      store.touch();
      return { op: 'activate', userid: op.userid };
    case 'renameDept':
      return { op: 'renameDept', dept_id: op.dept_id, ...store.renameDepartment(op.dept_id, op.name) };
    case 'setUser': {
      const u = store.user(op.userid);
      Object.assign(u, clean(op.set));
      store.touch();
      return { op: 'setUser', userid: u.userid, user: u };
    }
    case 'addDept': {
      let id = op.dept_id ?? Math.max(...store.departments.keys()) + 1;
      while (op.dept_id === undefined && store.departments.has(id)) id++;
      const dept: SimDepartment = { dept_id: id, name: op.name, parent_id: op.parent_id };
      store.addDepartment(dept);
      return { op: 'addDept', dept };
    }
    case 'removeDept':
      return { op: 'removeDept', dept: store.removeDepartment(op.dept_id) };
    case 'churn':
      return churn(state, op.percent, mulberry32(op.seed ?? Math.floor(state.rng() * 2 ** 31)));
  }
}

/** null removes a field; undefined leaves it. */
function clean(fields: Record<string, string | null | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v ?? undefined;
  return out;
}

function hire(
  state: SimState,
  rng: Rng,
  depts: number[],
  overrides: Record<string, string | null | undefined> = {},
): SimUser {
  for (const id of depts) state.store.department(id);
  let generated = makeUser(rng, state.seed, state.nextUserSeq++, [...depts]);
  // An explicit org may already use a generated userid: take the next free one.
  while (state.store.users.has(generated.userid))
    generated = makeUser(rng, state.seed, state.nextUserSeq++, [...depts]);
  const user: SimUser = { ...generated, ...clean(overrides) };
  state.store.addUser(user);
  return user;
}

/**
 * PCT % of the users change, a quarter each: hired, left, renamed, moved to another
 * department. Seeded, so a benchmark can repeat it.
 */
function churn(state: SimState, percent: number, rng: Rng): OrgChange {
  const store = state.store;
  const ids = [...store.users.keys()];
  const total = Math.round((ids.length * percent) / 100);
  const quarter = (i: number) => Math.floor(total / 4) + (i < total % 4 ? 1 : 0);
  // Partial Fisher-Yates: distinct users for leave/rename/move.
  const chosen: string[] = [];
  const need = quarter(1) + quarter(2) + quarter(3);
  for (let i = 0; i < need && i < ids.length; i++) {
    const j = i + pick(rng, ids.length - i);
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    chosen.push(ids[i] as string);
  }
  const left = chosen.slice(0, quarter(1));
  const renamed = chosen.slice(quarter(1), quarter(1) + quarter(2));
  const moved = chosen.slice(quarter(1) + quarter(2));
  const deptIds = [...store.departments.keys()];
  for (const id of left) store.removeUser(id, '个人原因', Date.now());
  for (const id of renamed) {
    const u = store.user(id);
    u.name = `${u.name}新`;
  }
  for (const id of moved) {
    const current = store.user(id).dept_id_list;
    let target = deptIds[pick(rng, deptIds.length)] ?? 1;
    if (current.length === 1 && current[0] === target && deptIds.length > 1) {
      target = deptIds[(deptIds.indexOf(target) + 1) % deptIds.length] ?? 1;
    }
    store.moveUser(id, [target]);
  }
  const hired: string[] = [];
  for (let i = 0; i < quarter(0); i++) {
    hired.push(hire(state, rng, [deptIds[pick(rng, deptIds.length)] ?? 1]).userid);
  }
  store.touch();
  return { op: 'churn', hired, left, renamed, moved };
}

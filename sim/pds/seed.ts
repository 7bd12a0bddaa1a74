import { z } from 'zod';
import { SimError } from './errors.js';
import { OrderedMap } from './ordered.js';
import { linkKey, type DomainState, type GroupRecord } from './state.js';
import type { JsonObject } from './types.js';

const seedSchema = z.strictObject({
  users: z.array(z.looseObject({ user_id: z.string().min(1) })).optional(),
  groups: z
    .array(
      z.looseObject({
        group_id: z.string().min(1),
        group_name: z.string().min(1),
        parent_group_id: z.string().nullish(),
        is_root: z.boolean().optional(),
        members: z
          .strictObject({ users: z.array(z.string()).optional(), groups: z.array(z.string()).optional() })
          .optional(),
      }),
    )
    .optional(),
  links: z
    .array(
      z.strictObject({
        user_id: z.string().min(1),
        type: z.string().min(1),
        identity: z.string().min(1),
        extra: z.string().optional(),
      }),
    )
    .optional(),
  replace: z.boolean().optional(),
});

const bad = (message: string) => new SimError(400, 'InvalidParameter', `seed: ${message}`);

/** Adds `key` with `value` only when the object lacks it (appended, so given keys keep their order). */
function fill(obj: JsonObject, key: string, value: unknown): void {
  if (obj[key] === undefined) obj[key] = value;
}

/**
 * Seeds hand-made state (admins, users and groups created in the console, existing links).
 * Objects are stored as given plus the fields a real object always has; no PDS rule but
 * referential integrity is checked, because hand-made data need not follow the API's rules.
 */
export function seedState(
  state: DomainState,
  input: unknown,
  now: number,
): { users: number; groups: number; links: number } {
  const parsed = seedSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw bad(`${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  const seed = parsed.data;
  // Objects are copied from the input itself: zod's output may order keys differently.
  const given = input as { users?: JsonObject[]; groups?: JsonObject[] };
  if (seed.replace === true) state.clear();

  for (const [i, raw] of (seed.users ?? []).entries()) {
    if (state.users.has(raw.user_id)) throw bad(`user ${raw.user_id} already exists`);
    const user: JsonObject = { ...given.users?.[i] };
    fill(user, 'role', 'user');
    fill(user, 'status', 'enabled');
    fill(user, 'user_data', {});
    fill(user, 'created_at', now);
    fill(user, 'updated_at', now);
    state.users.set(raw.user_id, user);
  }

  const groups = seed.groups ?? [];
  for (const [i, raw] of groups.entries()) {
    if (state.groups.has(raw.group_id)) throw bad(`group ${raw.group_id} already exists`);
    const { parent_group_id: _p, is_root: _r, members: _m, ...rest } = given.groups?.[i] ?? {};
    const obj: JsonObject = { ...rest };
    fill(obj, 'description', '');
    fill(obj, 'created_at', now);
    fill(obj, 'updated_at', now);
    const record: GroupRecord = {
      obj,
      parent: null,
      isRoot: raw.is_root === true,
      users: new OrderedMap(),
      groups: new OrderedMap(),
    };
    state.groups.set(raw.group_id, record);
  }
  for (const raw of groups) {
    const record = state.groups.get(raw.group_id);
    if (record === undefined) continue;
    if (raw.parent_group_id !== undefined && raw.parent_group_id !== null) {
      attach(state, raw.parent_group_id, raw.group_id);
    }
    for (const child of raw.members?.groups ?? []) attach(state, raw.group_id, child);
    for (const userId of raw.members?.users ?? []) {
      if (!state.users.has(userId)) throw bad(`group ${raw.group_id} lists unknown user ${userId}`);
      state.addUserToGroup(raw.group_id, record, userId);
    }
  }

  for (const link of seed.links ?? []) {
    if (!state.users.has(link.user_id)) throw bad(`link to unknown user ${link.user_id}`);
    if (state.links.has(linkKey(link.type, link.identity))) {
      throw bad(`link ${link.type}:${link.identity} already exists`);
    }
    state.addLink({ ...link, extra: link.extra, created_at: now });
  }
  return { users: seed.users?.length ?? 0, groups: groups.length, links: seed.links?.length ?? 0 };
}

/** The same child may be named by its own `parent_group_id` and its parent's `members.groups`. */
function attach(state: DomainState, parentId: string, childId: string): void {
  const parent = state.groups.get(parentId);
  const child = state.groups.get(childId);
  if (parent === undefined) throw bad(`unknown parent group ${parentId} of ${childId}`);
  if (child === undefined) throw bad(`group ${parentId} lists unknown group ${childId}`);
  if (child.parent === parentId) return;
  if (child.parent !== null) throw bad(`group ${childId} has two parents (${child.parent}, ${parentId})`);
  state.attachGroup(parentId, parent, childId, child);
}

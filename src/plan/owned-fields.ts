import type { SyncSettings } from '../config/schema.js';
import type { ManagedUser } from '../pds-snapshot/snapshot.js';
import { cutUtf16, NAME_MAX } from '../source/clean-name.js';
import type { FieldAccess, SourceFieldAccess, SourceUser } from '../source/snapshot.js';
import type { FieldChanges, OwnedFields, PlanOptions } from './types.js';

/** The sync may not read this field, or does not sync it: PDS keeps what it holds. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** What PDS should hold: a value, `undefined` (DingTalk has none: cleared), or UNKNOWN. */
export type Wanted = string | undefined | typeof UNKNOWN;

type EmailField = SyncSettings['emailField'];

/** Which DingTalk field fills PDS's `email` (`sync.emailField`), and the permission it needs. */
const EMAIL_SOURCES: Record<
  EmailField,
  {
    readonly value: (u: SourceUser) => string | undefined;
    readonly access: (a: SourceFieldAccess) => FieldAccess;
  }
> = {
  email: { value: (u) => u.email, access: (a) => a.email },
  org_email: { value: (u) => u.orgEmail, access: (a) => a.orgEmail },
};

/** Whether the DingTalk app may read the field `sync.emailField` names. */
export const emailAccess = (a: SourceFieldAccess, field: EmailField): FieldAccess =>
  EMAIL_SOURCES[field].access(a);

const readable = (synced: boolean, access: FieldAccess, value: string | undefined): Wanted =>
  synced && access === 'authorised' ? value : UNKNOWN;

type HeldFields = Pick<ManagedUser, 'nickName' | 'phone' | 'email'>;

interface OwnedField {
  /** What PDS holds now. */
  readonly held: (p: HeldFields) => string | undefined;
  /** What PDS should hold, from the DingTalk user under the profile's switches. */
  readonly wanted: (u: SourceUser, a: SourceFieldAccess, o: PlanOptions) => Wanted;
}

/**
 * The profile fields the sync owns, by their PDS names: the one list the planner, the in-step
 * check and the link prefetch read. Every other field of a PDS user is left as found.
 */
export const OWNED_FIELDS: Readonly<Record<keyof OwnedFields, OwnedField>> = {
  nick_name: { held: (p) => p.nickName, wanted: (u) => cutUtf16(u.name, NAME_MAX) },
  phone: { held: (p) => p.phone, wanted: (u, a, o) => readable(o.syncPhone, a.mobile, u.mobile) },
  email: {
    held: (p) => p.email,
    wanted: (u, a, o) =>
      readable(o.syncEmail, emailAccess(a, o.emailField), EMAIL_SOURCES[o.emailField].value(u)),
  },
};

const FIELD_LIST = Object.entries(OWNED_FIELDS) as [keyof OwnedFields, OwnedField][];

/** `''` and absent are the same value in PDS. */
const same = (held: string | undefined, wanted: string | undefined) => (held ?? '') === (wanted ?? '');

/** Every owned field already holds what DingTalk says (or is not known). Allocates nothing. */
export function ownedFieldsInStep(
  u: SourceUser,
  p: HeldFields,
  a: SourceFieldAccess,
  o: PlanOptions,
): boolean {
  for (const [, f] of FIELD_LIST) {
    const w = f.wanted(u, a, o);
    if (w !== UNKNOWN && !same(f.held(p), w)) return false;
  }
  return true;
}

/** The owned fields that differ, with report entries. `''` clears a field DingTalk no longer has. */
export function fieldDiff(
  u: SourceUser,
  p: HeldFields,
  a: SourceFieldAccess,
  o: PlanOptions,
): { fields: OwnedFields; changes: FieldChanges } {
  const fields: { -readonly [K in keyof OwnedFields]: OwnedFields[K] } = {};
  const changes: Record<string, readonly [string | undefined, string | undefined]> = {};
  for (const [name, f] of FIELD_LIST) {
    const w = f.wanted(u, a, o);
    const held = f.held(p);
    if (w === UNKNOWN || same(held, w)) continue;
    fields[name] = w ?? '';
    changes[name] = [held, w];
  }
  return { fields, changes };
}

/** The owned fields of a user the sync creates: those DingTalk has a value for. */
export function createFields(u: SourceUser, a: SourceFieldAccess, o: PlanOptions): OwnedFields {
  const fields: { -readonly [K in keyof OwnedFields]: OwnedFields[K] } = {};
  for (const [name, f] of FIELD_LIST) {
    const w = f.wanted(u, a, o);
    if (w !== UNKNOWN && w !== undefined) fields[name] = w;
  }
  return fields;
}

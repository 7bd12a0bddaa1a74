import type { z } from 'zod';
import { StoredValueError } from '../errors/stored-value-error.js';

/** Issues shown in the error: enough to find the fault without a wall of text. */
const MAX_ISSUES = 3;

/** The field a stored value carries its schema version in. Without it, the value is of version 1. */
export const VERSION_FIELD = 'schemaVersion';

/**
 * One kind of value this service stores in Redis: the schema version it writes, how a value is
 * written, and the schema of every version it reads. An older version's schema converts its
 * value to the current shape, so an old value is migrated once, where it is read, and the rest
 * of the code reads one shape. Version 1 is every value written before values had a version.
 */
export interface StoredShape<T> {
  /** The version written now; reading a newer one (a newer worker's) tries this one's schema. */
  readonly version: number;
  /** The schema of each version read, by number; every one of them ends in the current shape. */
  readonly read: Readonly<Record<number, z.ZodType<T>>>;
  /** The fields a value is stored as, beside its version. */
  readonly fields: (value: T) => object;
  /** Version 1 was stored as plain text (an id, a time), not JSON. */
  readonly firstAsText?: boolean;
}

/** A value as stored: its fields and its schema version, as JSON. */
export function storedJson<T>(shape: StoredShape<T>, value: T): string {
  return JSON.stringify({ [VERSION_FIELD]: shape.version, ...shape.fields(value) });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The version a raw value says it is, and its fields without the version. */
function versioned<T>(shape: StoredShape<T>, key: string, raw: string): { version: number; value: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    if (shape.firstAsText === true) return { version: 1, value: raw };
    throw new StoredValueError(key, 'not JSON');
  }
  if (!isRecord(json) || !(VERSION_FIELD in json))
    return { version: 1, value: shape.firstAsText === true ? raw : json };
  const { [VERSION_FIELD]: version, ...value } = json;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new StoredValueError(key, `${VERSION_FIELD}: not a version number`);
  return { version, value };
}

/**
 * Parses and validates a value read from Redis, an older version converted to the current
 * shape, or throws a StoredValueError naming the key.
 */
export function parseStored<T>(shape: StoredShape<T>, key: string, raw: string): T {
  const { version, value } = versioned(shape, key, raw);
  const schema = shape.read[Math.min(version, shape.version)];
  if (schema === undefined)
    throw new StoredValueError(key, `schema version ${version} is not one this version reads`);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(the value)'}: ${i.message}`);
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
  throw new StoredValueError(key, `${issues.slice(0, MAX_ISSUES).join('; ')}${more}`);
}

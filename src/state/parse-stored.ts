import type { z } from 'zod';
import { StoredValueError } from '../errors/stored-value-error.js';

/** Issues shown in the error: enough to find the fault without a wall of text. */
const MAX_ISSUES = 3;

/** Parses and validates a JSON value read from Redis, or throws a StoredValueError naming the key. */
export function parseStored<T>(schema: z.ZodType<T>, key: string, raw: string): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new StoredValueError(key, 'not JSON');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(the value)'}: ${i.message}`);
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
  throw new StoredValueError(key, `${issues.slice(0, MAX_ISSUES).join('; ')}${more}`);
}

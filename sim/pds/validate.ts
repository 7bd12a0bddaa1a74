import { invalid, missing, outOfRange } from './errors.js';
import { decodeMarker } from './ordered.js';

/** A request body: PDS takes one JSON object per call. */
export type Body = Readonly<Record<string, unknown>>;

interface Len {
  readonly min?: number;
  readonly max?: number;
}

/** A required string; an empty one counts as missing. */
export function reqString(body: Body, field: string, len: Len = {}): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') throw missing(field);
  return checkString(v, field, len);
}

/** An optional string; null is read as absent. */
export function optString(body: Body, field: string, len: Len = {}): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  return checkString(v, field, len);
}

function checkString(v: unknown, field: string, { min = 0, max = Infinity }: Len): string {
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  // Lengths in characters (code points), as PDS documents them ("≤ 128 chars").
  let n = 0;
  for (const _char of v) n++;
  if (n < min || n > max) throw outOfRange(field, `must be ${min}-${max} characters long`);
  return v;
}

export function optEnum<T extends string>(body: Body, field: string, values: readonly T[]): T | undefined {
  const v = optString(body, field);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw invalid(field, `must be one of ${values.join(', ')}`);
  return v as T;
}

export function reqEnum<T extends string>(body: Body, field: string, values: readonly T[]): T {
  const v = optEnum(body, field, values);
  if (v === undefined) throw missing(field);
  return v;
}

export function optBool(body: Body, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalid(field, 'must be a boolean');
  return v;
}

/** `limit` 1–100, default 100. */
export function limitOf(body: Body): number {
  const v = body.limit;
  if (v === undefined || v === null) return 100;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalid('limit', 'must be an integer');
  if (v < 1 || v > 100) throw outOfRange('limit', 'must be 1-100');
  return v;
}

/** Where a listing starts: the decoded `marker`, or the beginning. */
export function markerOf(body: Body, kinds: readonly string[]): { kind: string; seq: number } | undefined {
  const m = optString(body, 'marker');
  return m === undefined || m === '' ? undefined : decodeMarker(m, kinds);
}

/** Fields a call does not take are refused, so a client that sends them is caught in tests. */
export function refuse(body: Body, fields: readonly string[], why: string): void {
  for (const f of fields) if (body[f] !== undefined) throw invalid(f, why);
}

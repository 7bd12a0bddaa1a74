import { gunzipSync, gzipSync } from 'node:zlib';
import { StoredValueError } from '../errors/stored-value-error.js';
import { parseStored, storedJson, type StoredShape } from './parse-stored.js';

/** A value stored gzipped: its versioned JSON, compressed (bulky parts of a run). */
export function zipped<T>(shape: StoredShape<T>, value: T): Buffer {
  return gzipSync(storedJson(shape, value));
}

/** A gzipped stored value read back, or a StoredValueError naming `where` when it is not gzip. */
export function unzipped<T>(shape: StoredShape<T>, where: string, raw: Buffer): T {
  let json: string;
  try {
    json = gunzipSync(raw).toString('utf8');
  } catch {
    throw new StoredValueError(where, 'not gzip');
  }
  return parseStored(shape, where, json);
}

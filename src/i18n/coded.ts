import { isMessageKey, type Params, type Translate } from './catalog.js';

/**
 * A message as data: a stable code and the values of its placeholders. Reports, check results
 * and config problems store this, never worded text, so each reader gets their own language.
 */
export interface Coded<C extends string = string> {
  readonly code: C;
  readonly params: Params;
}

/** `{code, params}` worded as `<prefix>.<code>`; a code the catalog lacks (newer data) reads as `fallback`. */
export function codedText(t: Translate, prefix: string, c: Coded, fallback?: string): string {
  const key = `${prefix}.${c.code}`;
  return isMessageKey(key) ? t(key, c.params) : (fallback ?? c.code);
}

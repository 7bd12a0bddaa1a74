import type { Params, Translate } from '../i18n/catalog.js';
import { isMessageKey } from '../i18n/catalog.js';
import { problemText, type Problem } from '../errors/problem.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

/**
 * Every item of 配置检测 and the states it can end in. The catalog words an item as
 * `check.<code>` (its title), `check.<code>.<state>` (what was found) and, where an operator
 * must act, `check.<code>.<state>.fix`.
 */
export const CHECK_STATES = {
  dingtalk_credentials: ['ok'],
  dingtalk_scope: ['all', 'some'],
  field_mobile: ['ok', 'missing', 'off'],
  field_email: ['ok', 'missing', 'off'],
  perm_user_count: ['ok', 'missing'],
  perm_department: ['ok', 'missing'],
  perm_member: ['ok', 'missing'],
  leave_records: ['ok', 'missing', 'fail'],
  sync_scope: ['ok'],
  dingtalk: ['fail'],
  pds_credentials: ['ok', 'role', 'fail'],
  clock: ['ok', 'off', 'unknown'],
  redirect_url: ['ok'],
  redis_scripts: ['ok', 'refused', 'error'],
  dingtalk_month: ['counted', 'within', 'near', 'refused'],
} as const;

export type CheckCode = keyof typeof CHECK_STATES;

/** One finding, stored as codes (a worker runs the check; each reader words it in their language). */
export type CheckItem = {
  [C in CheckCode]: {
    readonly level: CheckLevel;
    readonly code: C;
    readonly state: (typeof CHECK_STATES)[C][number];
    readonly params: Params;
    /** What failed, when a remote call did. */
    readonly problem?: Problem;
  };
}[CheckCode];

export interface CheckItemWords {
  readonly title: string;
  readonly detail: string;
  readonly fix?: string;
}

/** An item from before items carried codes (a check result an older worker stored). */
interface OldItem {
  readonly what?: unknown;
  readonly detail?: unknown;
}

/** An item's title, finding and fix in the reader's language. */
export function checkItemWords(item: CheckItem | OldItem, t: Translate): CheckItemWords {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  if (!('code' in item)) return { title: text(item.what), detail: text(item.detail) };
  const params = {
    ...item.params,
    ...(item.problem === undefined ? {} : { problem: problemText(item.problem, t) }),
  };
  // every code and state has words (test/i18n); a check item from a newer version reads as its code
  const base = `check.${item.code}`;
  const said = (key: string) => (isMessageKey(key) ? t(key, params) : undefined);
  const fix = said(`${base}.${item.state}.fix`);
  return {
    title: said(base) ?? item.code,
    detail: said(`${base}.${item.state}`) ?? item.state,
    ...(fix === undefined ? {} : { fix }),
  };
}

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

/** One item as a line: its mark, title, finding and fix. */
export function checkItemLine(item: CheckItem, t: Translate): string {
  const w = checkItemWords(item, t);
  const vars = { mark: MARK[item.level], ...w };
  return w.fix === undefined ? t('check.line', vars) : t('check.lineFix', { ...vars, fix: w.fix });
}

/** A result for `--json` and the API: each item keeps its codes and gains its words. */
export function wordedCheck<R extends { readonly items: readonly CheckItem[] }>(
  r: R,
  t: Translate,
): Omit<R, 'items'> & { items: (CheckItem & CheckItemWords)[] } {
  return { ...r, items: r.items.map((i) => ({ ...i, ...checkItemWords(i, t) })) };
}

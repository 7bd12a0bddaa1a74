import { isMessageKey, type Translate } from '../i18n/catalog.js';
import { failureText } from '../report/words.js';
import type { AccountView, PersonEvent } from './types.js';

/** A changed field's name in the reader's words (its PDS name when the catalog has none). */
export function fieldName(name: string, t: Translate): string {
  const key = `person.fieldName.${name}`;
  return isMessageKey(key) ? t(key) : name;
}

/** An event's field changes, `name: before → after`, masked as stored. */
export function eventChanges(e: PersonEvent, t: Translate): string {
  return Object.entries(e.fields ?? {})
    .map(([k, [from, to]]) => `${fieldName(k, t)}: ${from ?? '∅'} → ${to ?? '∅'}`)
    .join('; ');
}

/** Whether an event's write was made, or why not. */
export function eventResult(e: PersonEvent, t: Translate): string {
  return e.failure === undefined
    ? t('person.result.ok')
    : t('person.result.failed', { reason: failureText(e.failure, t) });
}

/** Who disabled the account and why, when it is disabled and says so. */
export function disabledText(
  a: AccountView,
  t: Translate,
  time: (iso: string) => string,
): string | undefined {
  if (a.status !== 'disabled' || a.disabledBy === undefined) return undefined;
  const by = a.disabledBy === 'sync' ? t('person.disabledBy.sync') : a.disabledBy;
  // the reason codes' words are the disables' own (src/i18n/messages/disables.ts)
  const reasonKey = `disableReason.${a.disabledReason ?? ''}`;
  const reason = isMessageKey(reasonKey) ? t(reasonKey) : (a.disabledReason ?? '');
  return t('person.pds.disabledBy', { by, at: time(a.disabledAt ?? ''), reason });
}

export const accountStatus = (s: AccountView['status'], t: Translate): string =>
  s === undefined ? '' : t(`person.account.${s}`);

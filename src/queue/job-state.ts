import { isMessageKey, type Translate } from '../i18n/catalog.js';

/**
 * A job's queue state in the reader's words (`state.waiting`, …); a state the catalog has no
 * words for (BullMQ may add one) is shown as BullMQ names it.
 */
export function jobStateText(t: Translate, state: string): string {
  const key = `state.${state}`;
  return isMessageKey(key) ? t(key) : state;
}
